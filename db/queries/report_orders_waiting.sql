-- Orders waiting for a decision at $2 (submitted before it, not decided by then), oldest
-- first, with their age in seconds at $2.
SELECT id::text, organisation, rfc3339(submitted_at), extract(epoch FROM $2::timestamptz - submitted_at)::bigint
FROM production_orders
WHERE ($1::text IS NULL OR organisation = $1::text)
  AND submitted_at < $2::timestamptz
  AND (state = 'submitted' OR (decided_at IS NOT NULL AND decided_at >= $2::timestamptz))
ORDER BY submitted_at, seq
