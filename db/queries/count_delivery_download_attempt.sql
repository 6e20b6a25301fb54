UPDATE deliveries
SET download_attempts = download_attempts + 1, updated_at = now()
WHERE id = $1::uuid
