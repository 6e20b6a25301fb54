UPDATE deliveries
SET revoked_at = now(),
    package_state = CASE WHEN package_state = 'built' THEN 'destroyed' ELSE package_state END,
    package_destroyed_at = CASE WHEN package_state = 'built' THEN now() ELSE package_destroyed_at END,
    package = NULL, package_kek_id = NULL, updated_at = now()
WHERE client_id = $1::uuid AND revoked_at IS NULL
