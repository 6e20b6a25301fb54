SELECT a.terms_version, t.seq
FROM onboarding_terms_acceptances a
JOIN terms_versions t ON t.version = a.terms_version
WHERE a.onboarding_id = $1::uuid
ORDER BY a.seq DESC
LIMIT 1
