SELECT count(*) FROM client_keys WHERE client_id = $1::uuid AND removed_at IS NULL
