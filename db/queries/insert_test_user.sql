INSERT INTO test_users (pid, organisation, allocated_by)
VALUES ($1, $2, $3)
ON CONFLICT ON CONSTRAINT test_users_pkey DO NOTHING
RETURNING pid
