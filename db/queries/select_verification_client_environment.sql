SELECT environment
FROM clients
WHERE client_id = $1::uuid
