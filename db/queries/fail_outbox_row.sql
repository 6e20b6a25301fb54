-- Failed for good with the provider's code and message; the sealed payload is erased.
UPDATE outbox
SET state = 'failed', payload = NULL, payload_kek_id = NULL, completed_at = now(), lease_until = NULL,
    last_error_code = $3, last_error_message = $4
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
