WITH sealed AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS s (id, seq, prev_hash, hash)
), moved AS (
    DELETE FROM audit_queue q USING sealed s WHERE q.id = s.id
    RETURNING q.*, s.seq, s.prev_hash, s.hash
)
INSERT INTO audit_events (seq, occurred_at, actor, role, portal_user, request_id, source_ip, organisation,
                          action, target_type, target_id, outcome, detail, prev_hash, hash)
SELECT seq, 'epoch'::timestamptz + occurred_at_us * interval '1 microsecond', actor, role, portal_user, request_id,
       source_ip, organisation, action, target_type, target_id, outcome, detail, prev_hash, hash
FROM moved
RETURNING seq
