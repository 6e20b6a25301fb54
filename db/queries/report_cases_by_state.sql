-- Onboarding cases opened in [$2, $3), by their current state; $1 organisation (NULL: all).
SELECT state, count(*) FROM onboardings
WHERE ($1::text IS NULL OR organisation = $1::text) AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
GROUP BY state
ORDER BY state
