UPDATE client_secrets
SET state = 'revoked', revoked_at = now()
WHERE client_id = $1::uuid AND state = 'active'
