-- The kind of the key `kid` $2 of client $1 that was removed last.
SELECT kind FROM client_keys WHERE client_id = $1::uuid AND kid = $2 AND removed_at IS NOT NULL
ORDER BY removed_at DESC LIMIT 1
