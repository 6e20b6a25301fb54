UPDATE deliveries
SET package = NULL, package_kek_id = NULL, package_state = 'expired', package_destroyed_at = now(), updated_at = now()
WHERE id IN (SELECT id FROM deliveries
             WHERE package IS NOT NULL AND package_expires_at <= now()
             ORDER BY package_expires_at
             LIMIT $1::int
             FOR UPDATE SKIP LOCKED)
RETURNING id::text, organisation, client_id::text
