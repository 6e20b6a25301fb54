-- One delivery of event $1 (type $2, organisation $3, body $4) to every active
-- subscription that names the type (or "*") and sees the organisation (its own, or every one
-- for a subscription without organisation) and existed when it happened ($6, epoch us);
-- retried until $5 minutes after $7 (epoch us, the notifications' clock).
INSERT INTO notification_outbox (kind, purpose, recipient, body, subscription_id, event_id, deadline_at)
SELECT 'webhook', 'webhook', s.url, $4, s.id, $1::uuid,
  to_timestamp($7::bigint / 1000000.0) + make_interval(mins => $5::integer)
FROM webhook_subscriptions s
WHERE s.state = 'active'
  AND ($2 = ANY (s.events) OR '*' = ANY (s.events))
  AND (s.organisation IS NULL OR s.organisation = $3)
  AND s.created_at <= to_timestamp($6::bigint / 1000000.0)
