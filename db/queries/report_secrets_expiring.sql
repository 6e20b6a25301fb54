-- Secrets that still authenticate and expire within $2 days of now, soonest first.
SELECT s.client_id::text, s.secret_id::text, c.organisation, c.environment, rfc3339(s.expires_at),
       floor(extract(epoch FROM s.expires_at - now()) / 86400)::bigint, s.superseded_at IS NOT NULL
FROM client_secrets s JOIN clients c ON c.client_id = s.client_id
WHERE ($1::text IS NULL OR c.organisation = $1::text)
  AND s.state = 'active' AND s.revoked_at IS NULL
  AND s.expires_at > now() AND s.expires_at <= now() + $2::int * interval '1 day'
ORDER BY s.expires_at, s.secret_id
