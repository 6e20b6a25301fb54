INSERT INTO verification_runs (id, client_id, catalogue_version, tester, tested_at, complete, missing_mandatory,
                               recorded_by, recorded_role, portal_user, request_id)
SELECT $1::uuid, c.client_id, $3::int, $4, $5::timestamptz, $6::boolean, $7::integer[], $8, $9, $10, $11
FROM clients c
WHERE c.client_id = $2::uuid AND c.environment = 'test'
RETURNING id::text
