-- The newest event older than $1 (microseconds), never the head of the chain.
SELECT seq, hash FROM audit_events
WHERE occurred_at < 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'
  AND seq < (SELECT max(seq) FROM audit_events)
ORDER BY seq DESC
LIMIT 1
