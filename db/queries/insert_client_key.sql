INSERT INTO client_keys (id, client_id, kid, kind, alg, jwk, certificate, thumbprint, subject, issuer, serial, orgno,
                         not_before, not_after, created_by)
VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12,
        CASE WHEN $13::bigint = 0 THEN NULL ELSE to_timestamp($13::bigint) END,
        CASE WHEN $14::bigint = 0 THEN now() + interval '365 days' ELSE to_timestamp($14::bigint) END, $15)
RETURNING rfc3339(created_at), extract(epoch FROM not_after)::bigint
