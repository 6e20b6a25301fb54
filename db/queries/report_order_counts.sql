-- Production orders submitted, approved and rejected in [$2, $3).
SELECT count(*) FILTER (WHERE submitted_at >= $2::timestamptz AND submitted_at < $3::timestamptz),
       count(*) FILTER (WHERE state = 'approved' AND decided_at >= $2::timestamptz AND decided_at < $3::timestamptz),
       count(*) FILTER (WHERE state = 'rejected' AND decided_at >= $2::timestamptz AND decided_at < $3::timestamptz)
FROM production_orders
WHERE ($1::text IS NULL OR organisation = $1::text)
