-- Client secrets issued, rotated (superseded by a newer one) and revoked in [$2, $3).
SELECT count(*) FILTER (WHERE s.created_at >= $2::timestamptz AND s.created_at < $3::timestamptz),
       count(*) FILTER (WHERE s.superseded_at >= $2::timestamptz AND s.superseded_at < $3::timestamptz),
       count(*) FILTER (WHERE s.revoked_at >= $2::timestamptz AND s.revoked_at < $3::timestamptz)
FROM client_secrets s JOIN clients c ON c.client_id = s.client_id
WHERE ($1::text IS NULL OR c.organisation = $1::text)
