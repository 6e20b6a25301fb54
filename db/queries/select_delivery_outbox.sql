-- The courier's progress on the messages of delivery $1 (GET /v1/deliveries/{id}): while a
-- message is retried, its attempts, the last error and when it is tried next.
SELECT kind, state, attempts, last_error_code, last_error_message, rfc3339(next_attempt_at)
FROM outbox
WHERE delivery_id = $1::uuid AND kind IN ('sms', 'email')
ORDER BY id
