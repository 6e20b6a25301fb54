-- Every contact of organisation $1, its clients' included (the organisation's first).
SELECT id, organisation, client_id, email, mobile, language, kinds::text, version, created_by,
  rfc3339(created_at), rfc3339(updated_at)
FROM notification_contacts
WHERE organisation = $1
ORDER BY client_id NULLS FIRST, created_at, id
