UPDATE notification_outbox SET state = 'pending', claimed_by = NULL, lease_until = NULL
WHERE id = $1::bigint AND claimed_by = $2 AND state = 'sending'
