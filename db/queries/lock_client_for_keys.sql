SELECT version FROM clients WHERE client_id = $1::uuid FOR UPDATE
