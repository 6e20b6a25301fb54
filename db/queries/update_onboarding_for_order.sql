UPDATE onboardings
SET state = CASE WHEN $2 = 'open' AND production_client_id IS NOT NULL THEN state ELSE $2 END,
    production_client_id = coalesce($3::uuid, production_client_id),
    version = version + 1,
    updated_at = now()
WHERE id = $1::uuid
