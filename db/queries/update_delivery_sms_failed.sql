-- The SMS could not be sent: the provider's code and message for the operator.
UPDATE deliveries
SET sms_state = 'failed', sms_error_code = $2, sms_error_message = $3, sms_updated_at = now(), updated_at = now()
WHERE id = $1
