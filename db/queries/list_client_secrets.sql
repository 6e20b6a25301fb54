SELECT s.secret_id::text, s.prefix, rfc3339(s.created_at), rfc3339(s.expires_at), rfc3339(s.last_used_at),
       rfc3339(s.revoked_at), rfc3339(s.superseded_at), s.expires_at <= now(), d.id::text
FROM client_secrets s
LEFT JOIN deliveries d ON d.secret_id = s.secret_id
WHERE s.client_id = $1::uuid
ORDER BY s.created_at DESC, s.secret_id DESC
