INSERT INTO client_secrets (secret_id, client_id, secret_hash, prefix, expires_at, created_by)
VALUES ($1::uuid, $2::uuid, $3, $4, to_timestamp($5::bigint), $6)
