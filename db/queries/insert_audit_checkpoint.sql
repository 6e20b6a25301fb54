-- A second daily checkpoint for the same day (another instance was first) is not written.
INSERT INTO audit_checkpoints (seq, head_hash, event_count, kind, day, created_at, created_by, algorithm, key_id,
                               payload, signature)
VALUES ($1::bigint, $2, $3::bigint, $4, $5::date, 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7,
        $8, $9, $10, $11)
ON CONFLICT (day) DO NOTHING
RETURNING id
