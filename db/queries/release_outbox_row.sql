-- A courier stopping gives back a claimed row it did not start (due again at once).
UPDATE outbox
SET state = 'pending', claimed_by = NULL, lease_until = NULL
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
