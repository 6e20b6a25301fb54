UPDATE outbox
SET state = 'cancelled', payload = NULL, payload_kek_id = NULL, completed_at = now(),
    last_error_code = 'cancelled', last_error_message = $2
WHERE delivery_id = $1::uuid AND state = 'pending'
