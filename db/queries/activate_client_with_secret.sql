UPDATE clients
SET state = 'active', version = version + 1, updated_at = now()
WHERE client_id = $1::uuid AND state = 'awaiting_credentials'
RETURNING version, metadata::text
