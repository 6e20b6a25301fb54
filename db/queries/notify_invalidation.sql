-- Tells every instance listening on onboard_invalidate (db::InvalidationBus) that a cached
-- thing changed: 'client:<client_id>' or 'tokens'. Sent after the change committed, so a
-- listener that reloads sees the new state. NOTIFY carries no secret: ids only.
SELECT pg_notify('onboard_invalidate', $1::text)
