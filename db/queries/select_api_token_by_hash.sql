SELECT id::text, name, role, prefix, created_by, rfc3339(created_at), rfc3339(expires_at), rfc3339(revoked_at), rfc3339(last_used_at), organisation, (expires_at IS NOT NULL AND expires_at <= now())
FROM api_tokens
WHERE token_hash = $1
