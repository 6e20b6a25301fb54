INSERT INTO terms_versions (version, title, url, summary, published_by)
VALUES ($1, $2, $3, $4, $5)
RETURNING version, title, url, summary, rfc3339(published_at), published_by, seq
