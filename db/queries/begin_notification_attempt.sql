-- An attempt begins (committed before anything is sent).
UPDATE notification_outbox
SET attempt_started_at = now(), attempts = attempts + 1,
    lease_until = now() + make_interval(secs => $3::double precision / 1000)
WHERE id = $1::bigint AND claimed_by = $2 AND state = 'sending'
