INSERT INTO verification_catalogue_versions (version, published_by)
VALUES ($1::int, $2)
RETURNING version, rfc3339(published_at), published_by
