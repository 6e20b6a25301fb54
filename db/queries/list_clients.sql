SELECT client_id::text, environment, state, version, registration_channel, created_by, rfc3339(created_at), rfc3339(updated_at), metadata::text, organisation,
       integration_type
FROM clients
-- $8 and $9 limit the list to what an access token sees: the clients of organisation $8
-- and the clients that organisation $9 supplies; neither set: no such limit.
WHERE (($8::text IS NULL AND $9::text IS NULL) OR organisation = $8::text
       OR metadata->>'supplier_orgno' = $9::text)
  AND ($1::text IS NULL OR organisation = $1::text)
  AND ($2::text IS NULL OR environment = $2::text)
  AND ($3::text IS NULL OR integration_type = $3::text)
  AND ($4::text IS NULL OR state = $4::text)
  AND ($5::text IS NULL OR client_name ILIKE '%' || $5::text || '%')
  AND ($6::uuid IS NULL OR client_id > $6::uuid)
ORDER BY client_id
LIMIT $7::int
