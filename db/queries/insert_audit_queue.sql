INSERT INTO audit_queue (occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation, action,
                         target_type, target_id, outcome, detail)
VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id
