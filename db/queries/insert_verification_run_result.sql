INSERT INTO verification_run_results (run_id, case_id, outcome, evidence, attachment)
VALUES ($1::uuid, $2::int, $3, $4, $5)
