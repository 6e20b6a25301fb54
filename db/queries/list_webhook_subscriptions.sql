-- Subscriptions of organisation $1, or every one when $1 is NULL.
SELECT id, organisation, url, events::text, description, state, disabled_reason, rfc3339(disabled_at),
  rfc3339(failing_since), created_by, rfc3339(created_at), rfc3339(updated_at), version
FROM webhook_subscriptions
WHERE state <> 'deleted' AND ($1::text IS NULL OR organisation = $1)
ORDER BY created_at, id
