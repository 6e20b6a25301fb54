SELECT secret_id::text, extract(epoch FROM expires_at)::bigint
FROM client_secrets
WHERE client_id = $1::uuid AND state = 'active' AND revoked_at IS NULL AND expires_at > now()
ORDER BY created_at DESC, secret_id DESC
