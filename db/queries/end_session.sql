UPDATE sessions SET ended_at = now(), end_reason = $2
WHERE id = $1::uuid AND ended_at IS NULL
RETURNING id::text
