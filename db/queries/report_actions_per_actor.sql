-- Audit events in [$2, $3) per actor and role, with how many did not succeed.
SELECT actor, role, count(*), count(*) FILTER (WHERE outcome <> 'success') FROM audit_events
WHERE ($1::text IS NULL OR organisation = $1::text)
  AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
GROUP BY actor, role
ORDER BY count(*) DESC, actor, role
