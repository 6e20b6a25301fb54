-- A notification contact of an organisation ($3 NULL) or of one of its clients.
INSERT INTO notification_contacts (id, organisation, client_id, email, mobile, language, kinds, created_by)
VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7::text[], $8)
RETURNING id, organisation, client_id, email, mobile, language, kinds::text, version, created_by,
  rfc3339(created_at), rfc3339(updated_at)
