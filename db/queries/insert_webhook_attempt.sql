INSERT INTO webhook_attempts (subscription_id, outbox_id, event_id, attempt, status, latency_ms, error)
VALUES ($1::uuid, $2::bigint, $3::uuid, $4::integer, $5::integer, $6::integer, $7)
