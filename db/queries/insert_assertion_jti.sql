INSERT INTO assertion_jtis (client_id, jti, expires_at)
VALUES ($1::uuid, $2, to_timestamp($3::bigint))
ON CONFLICT ON CONSTRAINT assertion_jtis_pkey DO NOTHING
