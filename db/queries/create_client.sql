WITH c AS (
    INSERT INTO clients (client_id, environment, organisation, integration_type, client_name, state, metadata,
                         registration_channel, registration_token_hash, created_by)
    VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
    RETURNING client_id, environment, state, version, registration_channel, created_by, created_at, updated_at,
              metadata, organisation
), h AS (
    INSERT INTO client_history (client_id, version, change, actor, role, portal_user, request_id, state, metadata, diff)
    SELECT client_id, version, $11, $12, $13, $14, $15, state, metadata, $16::jsonb FROM c
), q AS (
    INSERT INTO audit_queue (occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation, action,
                             target_type, target_id, outcome, detail)
    SELECT $17::bigint, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28 FROM c
    RETURNING id
)
SELECT client_id::text, environment, state, version, registration_channel, created_by, rfc3339(created_at),
       rfc3339(updated_at), metadata::text, organisation, (SELECT id FROM q)
FROM c
