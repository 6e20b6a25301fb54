-- Every checkpoint at or after seq $1, in chain order (verification).
SELECT id, seq, head_hash, event_count, kind, coalesce(day::text, ''),
       (extract(epoch FROM created_at) * 1000000)::bigint, created_by, algorithm, key_id, payload, signature
FROM audit_checkpoints
WHERE seq >= $1::bigint
ORDER BY seq, id
