UPDATE deliveries
SET package = NULL, package_kek_id = NULL, package_state = 'downloaded', downloaded_at = now(), downloaded_ip = $2,
    download_attempts = download_attempts + 1, updated_at = now()
WHERE id = $1::uuid AND package IS NOT NULL
