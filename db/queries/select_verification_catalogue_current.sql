SELECT v.version, rfc3339(v.published_at), v.published_by,
       c.case_id, c.name, c.title, c.description, c.mandatory, c.feature
FROM verification_catalogue_versions v
JOIN verification_catalogue_cases c ON c.version = v.version
WHERE v.version = (SELECT max(version) FROM verification_catalogue_versions)
ORDER BY c.case_id
