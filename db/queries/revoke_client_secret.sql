UPDATE client_secrets
SET state = 'revoked', revoked_at = now(), revoked_by = $3, revoke_reason = $4
WHERE client_id = $1::uuid AND secret_id = $2::uuid AND state = 'active'
RETURNING secret_id::text
