UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = $1::uuid AND failing_since IS NOT NULL
