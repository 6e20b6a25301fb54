INSERT INTO api_tokens (id, name, role, token_hash, prefix, created_by, expires_at, organisation)
VALUES ($1::uuid, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + $7::int * interval '1 day' END, $8)
RETURNING id::text, name, role, prefix, created_by, rfc3339(created_at), rfc3339(expires_at), rfc3339(revoked_at), rfc3339(last_used_at), organisation
