-- A page of cases, newest first, with the columns of onboarding_rows (migration 0046).
SELECT * FROM onboarding_rows
WHERE ($1::text IS NULL OR organisation = $1::text)
  AND ($2::text IS NULL OR state = $2::text)
  AND ($3::bigint IS NULL OR seq < $3::bigint)
ORDER BY seq DESC
LIMIT $4::int
