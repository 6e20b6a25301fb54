-- The contacts of organisation $1 itself ($2 NULL) or of its client $2.
SELECT id, organisation, client_id, email, mobile, language, kinds::text, version, created_by,
  rfc3339(created_at), rfc3339(updated_at)
FROM notification_contacts
WHERE organisation = $1 AND client_id IS NOT DISTINCT FROM $2::uuid
ORDER BY created_at, id
