SELECT orgno, name, contacts::text, version, rfc3339(created_at), rfc3339(updated_at)
FROM organisations
WHERE orgno = $1
