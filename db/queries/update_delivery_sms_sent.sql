-- The SMS provider accepted the message $2. A status callback may have come first: never
-- move a final state back.
UPDATE deliveries
SET sms_state = CASE WHEN sms_state IN ('delivered', 'undelivered', 'failed') THEN sms_state ELSE 'sent' END,
    sms_sid = $2, sms_error_code = NULL, sms_error_message = NULL, sms_updated_at = now(), updated_at = now()
WHERE id = $1
