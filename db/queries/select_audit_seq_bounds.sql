-- Lowest and highest seq of the events with occurred_at in [$1, $2) (microseconds; NULL: open).
SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM audit_events
WHERE ($1::bigint IS NULL OR occurred_at >= 'epoch'::timestamptz + $1::bigint * interval '1 microsecond')
  AND ($2::bigint IS NULL OR occurred_at < 'epoch'::timestamptz + $2::bigint * interval '1 microsecond')
