INSERT INTO clients (client_id, environment, organisation, integration_type, client_name, state, metadata,
                     registration_channel, registration_token_hash, created_by)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
RETURNING client_id::text, environment, state, version, registration_channel, created_by, rfc3339(created_at), rfc3339(updated_at), metadata::text, organisation
