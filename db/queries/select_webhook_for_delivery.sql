-- What the courier needs to deliver to subscription $1: its state, sealed secret and owner.
SELECT state, secret_kek_id, encode(secret_sealed, 'hex'), organisation, url,
  (extract(epoch FROM failing_since) * 1000000)::bigint
FROM webhook_subscriptions WHERE id = $1::uuid
