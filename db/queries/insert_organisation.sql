INSERT INTO organisations (orgno, name, contacts)
VALUES ($1, $2, $3::jsonb)
RETURNING orgno, name, contacts::text, version, rfc3339(created_at), rfc3339(updated_at)
