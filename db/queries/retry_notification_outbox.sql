-- Back to pending after $3 ms; $4 keeps attempt_started_at (the outcome is unknown).
UPDATE notification_outbox
SET state = 'pending', next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
    lease_until = NULL, claimed_by = NULL,
    attempt_started_at = CASE WHEN $4::boolean THEN attempt_started_at ELSE NULL END,
    last_error_code = $5, last_error_message = $6, last_status = $7::integer
WHERE id = $1::bigint AND claimed_by = $2 AND state = 'sending'
