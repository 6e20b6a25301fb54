-- A delivery to subscription $1 failed: when did its failures begin ($2, epoch us: the
-- notifications' clock, if this is the first since the last success)?
UPDATE webhook_subscriptions
SET failing_since = COALESCE(failing_since, to_timestamp($2::bigint / 1000000.0))
WHERE id = $1::uuid
RETURNING (extract(epoch FROM failing_since) * 1000000)::bigint
