SELECT seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, actor, role, coalesce(portal_user, ''),
       coalesce(request_id, ''), coalesce(source_ip, ''), coalesce(organisation, ''), action, target_type,
       target_id, outcome, detail, prev_hash, hash
FROM audit_events
WHERE target_id = ANY ($1::text[])
ORDER BY seq DESC
LIMIT $2::int
