SELECT id, occurred_at_us, actor, role, coalesce(portal_user, ''), coalesce(request_id, ''),
       coalesce(source_ip, ''), coalesce(organisation, ''), action, target_type, target_id, outcome, detail
FROM audit_queue
ORDER BY id
LIMIT $1::int
