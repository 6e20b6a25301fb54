-- The SMS body was emptied at the provider.
UPDATE deliveries
SET sms_redacted_at = COALESCE(sms_redacted_at, now()), updated_at = now()
WHERE id = $1
