-- Saves url, events, description and state at version $6; re-enabling clears the failures.
UPDATE webhook_subscriptions
SET url = $2, events = $3::text[], description = $4, state = $5,
    disabled_reason = CASE WHEN $5 = 'active' THEN NULL ELSE COALESCE(disabled_reason, 'disabled by its owner') END,
    disabled_at = CASE WHEN $5 = 'active' THEN NULL ELSE COALESCE(disabled_at, now()) END,
    failing_since = CASE WHEN $5 = 'active' THEN NULL ELSE failing_since END,
    version = version + 1, updated_at = now()
WHERE id = $1::uuid AND version = $6::integer AND state <> 'deleted'
RETURNING id, organisation, url, events::text, description, state, disabled_reason, rfc3339(disabled_at),
  rfc3339(failing_since), created_by, rfc3339(created_at), rfc3339(updated_at), version
