-- Subscriptions are kept (their delivery log refers to them) but marked deleted; the
-- signing secret is erased.
UPDATE webhook_subscriptions
SET state = 'deleted', secret_sealed = '\x'::bytea, version = version + 1, updated_at = now()
WHERE id = $1::uuid AND state <> 'deleted'
