SELECT id::text, organisation, state, version
FROM onboardings
WHERE id = $1::uuid
FOR UPDATE
