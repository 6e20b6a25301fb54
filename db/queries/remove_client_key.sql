UPDATE client_keys SET removed_at = now(), removed_by = $3
WHERE client_id = $1::uuid AND kid = $2 AND removed_at IS NULL
RETURNING id::text, kind, thumbprint
