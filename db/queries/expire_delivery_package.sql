UPDATE deliveries
SET package = NULL, package_kek_id = NULL, package_state = 'expired', package_destroyed_at = now(), updated_at = now()
WHERE id = $1::uuid AND package IS NOT NULL
