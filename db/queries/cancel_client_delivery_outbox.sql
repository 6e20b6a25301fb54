UPDATE outbox
SET state = 'cancelled', payload = NULL, payload_kek_id = NULL, completed_at = now(),
    last_error_code = 'cancelled', last_error_message = 'the client''s secrets were revoked'
WHERE state = 'pending'
  AND delivery_id IN (SELECT id FROM deliveries WHERE client_id = $1::uuid AND revoked_at IS NULL)
