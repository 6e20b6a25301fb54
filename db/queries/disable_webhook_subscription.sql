-- Disables an active subscription ($2: why); returns its owner and URL.
UPDATE webhook_subscriptions
SET state = 'disabled', disabled_reason = $2, disabled_at = now(), version = version + 1, updated_at = now()
WHERE id = $1::uuid AND state = 'active'
RETURNING organisation, url
