-- An event for webhooks ($7: the audit seq it came from, NULL for a test event).
INSERT INTO notification_events (id, type, occurred_at, organisation, client_id, data, audit_seq)
VALUES ($1::uuid, $2, to_timestamp($3::bigint / 1000000.0), $4, $5, $6::jsonb, $7::bigint)
