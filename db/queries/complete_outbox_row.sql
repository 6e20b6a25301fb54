-- The provider took the message ($3: its sid or Message-ID); the sealed payload is erased.
UPDATE outbox
SET state = 'done', provider_ref = $3, payload = NULL, payload_kek_id = NULL, completed_at = now(),
    lease_until = NULL, last_error_code = NULL, last_error_message = NULL
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
