-- One delivery of each of a round's events (ids $1, types $2, organisations $3, bodies $4,
-- occurred at $5 epoch us; arrays side by side) to every active subscription that names the
-- type (or "*") and sees the organisation (its own, or every one for a subscription without
-- organisation) and existed when it happened; retried until $6 minutes after $7 (epoch us,
-- the notifications' clock). Rows go in event by event, in the round's order.
INSERT INTO notification_outbox (kind, purpose, recipient, body, subscription_id, event_id, deadline_at)
SELECT 'webhook', 'webhook', s.url, e.body, s.id, e.id,
  to_timestamp($7::bigint / 1000000.0) + make_interval(mins => $6::integer)
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[])
    WITH ORDINALITY AS e (id, type, org, body, us, ord)
JOIN webhook_subscriptions s
  ON s.state = 'active'
  AND (e.type = ANY (s.events) OR '*' = ANY (s.events))
  AND (s.organisation IS NULL OR s.organisation = e.org)
  AND s.created_at <= to_timestamp(e.us / 1000000.0)
ORDER BY e.ord, s.id
