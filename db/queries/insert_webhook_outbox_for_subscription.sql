-- One delivery of event $2 (body $3) to subscription $1 alone (the test event).
INSERT INTO notification_outbox (kind, purpose, recipient, body, subscription_id, event_id, deadline_at)
SELECT 'webhook', 'webhook', s.url, $3, s.id, $2::uuid, now() + make_interval(mins => $4::integer)
FROM webhook_subscriptions s WHERE s.id = $1::uuid AND s.state <> 'deleted'
