SELECT onboarding_id::text
FROM onboarding_clients
WHERE client_id = $1::uuid
