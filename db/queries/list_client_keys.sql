SELECT id::text, client_id::text, kid, kind, alg, jwk::text, certificate, thumbprint, subject, issuer, serial, orgno,
       coalesce(extract(epoch FROM not_before)::bigint, 0), extract(epoch FROM not_after)::bigint,
       rfc3339(created_at), created_by, rfc3339(last_used_at)
FROM client_keys
WHERE client_id = $1::uuid AND removed_at IS NULL
ORDER BY created_at, id
