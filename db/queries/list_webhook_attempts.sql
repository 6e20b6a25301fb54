-- The delivery log of subscription $1, newest first, at most $2 attempts.
SELECT a.outbox_id, a.event_id, e.type, a.attempt, a.status, a.latency_ms, a.error, rfc3339(a.attempted_at), o.state
FROM webhook_attempts a
JOIN notification_events e ON e.id = a.event_id
JOIN notification_outbox o ON o.id = a.outbox_id
WHERE a.subscription_id = $1::uuid
ORDER BY a.id DESC
LIMIT $2
