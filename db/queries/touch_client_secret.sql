UPDATE client_secrets SET last_used_at = now()
WHERE secret_id = $1::uuid AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
