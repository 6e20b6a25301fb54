UPDATE api_tokens SET revoked_at = now()
WHERE id = $1::uuid AND revoked_at IS NULL
RETURNING id::text, name, role, prefix, created_by, rfc3339(created_at), rfc3339(expires_at), rfc3339(revoked_at), rfc3339(last_used_at), organisation
