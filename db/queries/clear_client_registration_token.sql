UPDATE clients
SET registration_token_hash = NULL
WHERE client_id = $1::uuid
