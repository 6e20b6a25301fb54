-- Download packages of deliveries created in [$2, $3) that were never fetched, with their
-- state (built: still waiting; expired/destroyed: gone unfetched).
SELECT id::text, client_id::text, organisation, package_state, rfc3339(created_at), rfc3339(package_expires_at)
FROM deliveries
WHERE ($1::text IS NULL OR organisation = $1::text)
  AND channel = 'download' AND downloaded_at IS NULL AND revoked_at IS NULL
  AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
ORDER BY created_at, id
