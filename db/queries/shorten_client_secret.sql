UPDATE client_secrets
SET expires_at = LEAST(expires_at, to_timestamp($2::bigint))
WHERE secret_id = $1::uuid
