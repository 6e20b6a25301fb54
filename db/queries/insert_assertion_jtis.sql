INSERT INTO assertion_jtis (client_id, jti, expires_at)
SELECT (e ->> 'c')::uuid, e ->> 'j', to_timestamp((e ->> 'x')::bigint)
FROM jsonb_array_elements($1::jsonb) AS e
ON CONFLICT ON CONSTRAINT assertion_jtis_pkey DO NOTHING
RETURNING client_id::text, jti
