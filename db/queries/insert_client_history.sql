INSERT INTO client_history (client_id, version, change, actor, role, portal_user, request_id, state, metadata, diff)
VALUES ($1::uuid, $2::int, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
