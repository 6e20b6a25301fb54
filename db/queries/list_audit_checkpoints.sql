SELECT id, seq, head_hash, event_count, kind, coalesce(day::text, ''),
       (extract(epoch FROM created_at) * 1000000)::bigint, created_by, algorithm, key_id, payload, signature
FROM audit_checkpoints
WHERE ($1::bigint IS NULL OR id < $1::bigint)
ORDER BY id DESC
LIMIT $2::int
