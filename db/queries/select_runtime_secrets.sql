SELECT secret_id::text, secret_hash, extract(epoch FROM expires_at)::bigint, rfc3339(expires_at)
FROM client_secrets
WHERE client_id = $1::uuid AND state = 'active' AND revoked_at IS NULL AND expires_at > now()
ORDER BY created_at, secret_id
