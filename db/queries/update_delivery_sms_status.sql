-- A provider status report moves the SMS state forward ($4: the provider's error code or '').
UPDATE deliveries
SET sms_state = $2, sms_sid = COALESCE(sms_sid, $3), sms_error_code = NULLIF($4, ''),
    sms_updated_at = now(), updated_at = now()
WHERE id = $1
