SELECT id, organisation, url, events::text, description, state, disabled_reason, rfc3339(disabled_at),
  rfc3339(failing_since), created_by, rfc3339(created_at), rfc3339(updated_at), version
FROM webhook_subscriptions WHERE id = $1::uuid AND state <> 'deleted'
