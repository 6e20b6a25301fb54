-- The reminder for (credential, threshold), once across every instance: a second insert
-- (another instance, a retried round) does nothing and returns no row.
INSERT INTO expiry_reminders (credential_kind, credential_id, threshold_days, client_id, organisation, expires_at, due_at, recipients)
VALUES ($1, $2::uuid, $3::integer, $4::uuid, $5, to_timestamp($6::bigint), to_timestamp($7::bigint), $8::integer)
ON CONFLICT ON CONSTRAINT expiry_reminders_once DO NOTHING
RETURNING id
