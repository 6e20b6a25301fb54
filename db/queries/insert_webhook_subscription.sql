INSERT INTO webhook_subscriptions (id, organisation, url, events, description, secret_kek_id, secret_sealed, created_by)
VALUES ($1::uuid, $2, $3, $4::text[], $5, $6, decode($7, 'hex'), $8)
RETURNING id, organisation, url, events::text, description, state, disabled_reason, rfc3339(disabled_at),
  rfc3339(failing_since), created_by, rfc3339(created_at), rfc3339(updated_at), version
