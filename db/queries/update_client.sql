UPDATE clients
SET client_name = $3::jsonb ->> 'client_name', state = $2, metadata = $3::jsonb, version = version + 1,
    updated_at = now()
WHERE client_id = $1::uuid AND version = $4::int
RETURNING client_id::text, environment, state, version, registration_channel, created_by, rfc3339(created_at), rfc3339(updated_at), metadata::text, organisation
