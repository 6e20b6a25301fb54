SELECT state, environment, version, metadata::text
FROM clients
WHERE client_id = $1::uuid
FOR UPDATE
