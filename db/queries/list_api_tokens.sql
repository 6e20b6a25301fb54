SELECT id::text, name, role, prefix, created_by, rfc3339(created_at), rfc3339(expires_at), rfc3339(revoked_at), rfc3339(last_used_at), organisation
FROM api_tokens
ORDER BY created_at, id
