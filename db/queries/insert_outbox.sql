INSERT INTO outbox (delivery_id, kind, recipient, payload_kek_id, payload, deadline_at)
VALUES ($1::uuid, $2, $3, $4, $5::bytea, to_timestamp($6::bigint))
RETURNING id
