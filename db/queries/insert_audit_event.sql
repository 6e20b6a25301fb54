INSERT INTO audit_events (seq, occurred_at, actor, role, portal_user, request_id, source_ip, organisation,
                          action, target_type, target_id, outcome, detail, prev_hash, hash)
VALUES ($1::bigint, 'epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3, $4, $5, $6, $7, $8,
        $9, $10, $11, $12, $13, $14, $15)
