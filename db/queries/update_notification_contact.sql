-- Saves a contact when it is still at version $6.
UPDATE notification_contacts
SET email = $2, mobile = $3, language = $4, kinds = $5::text[], version = version + 1, updated_at = now()
WHERE id = $1::uuid AND version = $6::integer
RETURNING id, organisation, client_id, email, mobile, language, kinds::text, version, created_by,
  rfc3339(created_at), rfc3339(updated_at)
