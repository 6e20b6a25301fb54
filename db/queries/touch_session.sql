UPDATE sessions SET last_seen_at = now() WHERE id = $1::uuid AND ended_at IS NULL
