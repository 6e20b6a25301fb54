-- An attempt at the provider begins (committed before anything is sent, so a courier that
-- dies mid-send leaves attempt_started_at behind: the outcome is then unknown).
UPDATE outbox
SET attempt_started_at = now(),
    attempts = attempts + 1,
    lease_until = now() + make_interval(secs => $3::double precision / 1000)
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
