SELECT orgno, name, contacts::text, version, rfc3339(created_at), rfc3339(updated_at)
FROM organisations
WHERE ($1::text IS NULL OR lower(name) LIKE lower($1::text) || '%')
  AND ($2::text IS NULL OR orgno = $2::text)
  AND orgno > $3::text
ORDER BY orgno
LIMIT $4::int
