SELECT onboarding_id::text FROM onboarding_clients WHERE client_id = $1::uuid
UNION ALL
SELECT id::text FROM onboardings WHERE production_client_id = $1::uuid
LIMIT 1
