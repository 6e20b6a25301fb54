-- Back to pending after $3 ms. $4: the outcome is unknown, keep attempt_started_at so the next
-- attempt looks the message up before sending again.
UPDATE outbox
SET state = 'pending',
    next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
    attempt_started_at = CASE WHEN $4::boolean THEN attempt_started_at ELSE NULL END,
    last_error_code = $5, last_error_message = $6, claimed_by = NULL, lease_until = NULL
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
