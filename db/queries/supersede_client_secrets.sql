UPDATE client_secrets
SET superseded_at = now()
WHERE client_id = $1::uuid AND state = 'active' AND revoked_at IS NULL AND expires_at > now()
  AND superseded_at IS NULL
