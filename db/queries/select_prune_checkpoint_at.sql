SELECT head_hash FROM audit_checkpoints WHERE kind = 'prune' AND seq = $1::bigint ORDER BY id DESC LIMIT 1
