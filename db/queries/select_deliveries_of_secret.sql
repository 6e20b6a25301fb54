SELECT id::text
FROM deliveries
WHERE secret_id = $1::uuid AND revoked_at IS NULL
FOR UPDATE
