UPDATE organisations
SET name = $2, contacts = $3::jsonb, version = version + 1, updated_at = now()
WHERE orgno = $1 AND version = $4::int
RETURNING orgno, name, contacts::text, version, rfc3339(created_at), rfc3339(updated_at)
