-- Clients still authenticating with a secret that a newer one replaced: the old secret is
-- still valid (grace period) and was used after it was superseded.
SELECT s.client_id::text, s.secret_id::text, c.organisation, rfc3339(s.superseded_at), rfc3339(s.last_used_at),
       rfc3339(s.expires_at)
FROM client_secrets s JOIN clients c ON c.client_id = s.client_id
WHERE ($1::text IS NULL OR c.organisation = $1::text)
  AND s.superseded_at IS NOT NULL AND s.state = 'active' AND s.revoked_at IS NULL AND s.expires_at > now()
  AND s.last_used_at > s.superseded_at
ORDER BY s.last_used_at DESC, s.secret_id
