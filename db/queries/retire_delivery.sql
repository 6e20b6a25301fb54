UPDATE deliveries
SET revoked_at = COALESCE(revoked_at, now()),
    superseded_by = COALESCE($2::uuid, superseded_by),
    package_state = CASE WHEN package_state = 'built' THEN 'destroyed' ELSE package_state END,
    package_destroyed_at = CASE WHEN package_state = 'built' THEN now() ELSE package_destroyed_at END,
    package = NULL, package_kek_id = NULL, updated_at = now()
WHERE id = $1::uuid
