-- A JWK posted again in a whole-set replacement lives one more year from now.
UPDATE client_keys SET not_after = now() + interval '365 days'
WHERE client_id = $1::uuid AND kid = $2 AND removed_at IS NULL
RETURNING extract(epoch FROM not_after)::bigint
