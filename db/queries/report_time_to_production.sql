-- For the orders approved in [$2, $3): seconds from the case's first test client (the
-- order's own test client or any test client linked to the case) to the approval.
-- count, median and 90th percentile (linear interpolation).
SELECT count(d), percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.9) WITHIN GROUP (ORDER BY d)
FROM (
    SELECT extract(epoch FROM o.decided_at - (
               SELECT min(c.created_at) FROM clients c
               WHERE c.environment = 'test'
                 AND (c.client_id = o.test_client_id
                      OR c.client_id IN (SELECT oc.client_id FROM onboarding_clients oc
                                         WHERE oc.onboarding_id = o.onboarding_id)))) AS d
    FROM production_orders o
    WHERE o.state = 'approved' AND o.decided_at >= $2::timestamptz AND o.decided_at < $3::timestamptz
      AND ($1::text IS NULL OR o.organisation = $1::text)
) t
