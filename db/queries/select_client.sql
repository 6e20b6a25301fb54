SELECT client_id::text, environment, state, version, registration_channel, created_by, rfc3339(created_at), rfc3339(updated_at), metadata::text, organisation,
       integration_type
FROM clients
WHERE client_id = $1::uuid
