-- A delivery to subscription $1 failed: when did its failures begin (now, if this is the first)?
UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, now())
WHERE id = $1::uuid
RETURNING (extract(epoch FROM failing_since) * 1000000)::bigint
