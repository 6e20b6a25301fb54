-- Sealed events after seq $1, oldest first, at most $2 (the dispatcher's read). Seals are
-- serialised by the chain's lock and commit in seq order, so no smaller seq can appear later.
SELECT seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, actor, role, portal_user, request_id,
  source_ip, organisation, action, target_type, target_id, outcome, detail
FROM audit_events WHERE seq > $1::bigint ORDER BY seq LIMIT $2
