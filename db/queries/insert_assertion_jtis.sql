INSERT INTO assertion_jtis (client_id, jti, expires_at)
SELECT c, j, to_timestamp(x)
FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS t (c, j, x)
ON CONFLICT ON CONSTRAINT assertion_jtis_pkey DO NOTHING
RETURNING client_id::text, jti
