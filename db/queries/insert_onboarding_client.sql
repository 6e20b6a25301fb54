INSERT INTO onboarding_clients (onboarding_id, client_id, linked_by)
VALUES ($1::uuid, $2::uuid, $3)
