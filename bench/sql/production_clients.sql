-- The issuance benchmark's production clients: :n active production copies of the test
-- client :'template' (registered through the API, client_secret_basic), as an approved
-- sms_zip order leaves them (registration_channel production_order, a 'create' history
-- row), without walking the whole onboarding journey :n times. The measured request,
-- POST /v1/clients/{id}/secret, is the real endpoint. Prints the new client ids.
WITH made AS (
    INSERT INTO clients (client_id, environment, organisation, integration_type, client_name, state, metadata,
                         version, registration_channel, created_by)
    SELECT gen_random_uuid(), 'production', organisation, integration_type,
           client_name || ' (production ' || g || ')', 'active', metadata, 1, 'production_order', 'ops/bench'
    FROM clients, generate_series(1, :n) AS g
    WHERE client_id = :'template'::uuid
    RETURNING client_id, state, metadata
), history AS (
    INSERT INTO client_history (client_id, version, change, actor, role, state, metadata)
    SELECT client_id, 1, 'create', 'ops/bench', 'system', state, metadata FROM made
)
SELECT client_id FROM made;
