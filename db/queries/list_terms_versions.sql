SELECT version, title, url, summary, rfc3339(published_at), published_by, seq
FROM terms_versions
ORDER BY seq DESC
