SELECT id, organisation, client_id, email, mobile, language, kinds::text, version, created_by,
  rfc3339(created_at), rfc3339(updated_at)
FROM notification_contacts WHERE id = $1::uuid
