-- The cases whose ids are in $1 (a uuid array: one for Find, many for FindMany), with the
-- columns of onboarding_rows (migration 0046).
SELECT * FROM onboarding_rows WHERE key_id = ANY ($1::uuid[])
