-- One run, with the columns of verification_run_rows (migration 0046).
SELECT * FROM verification_run_rows WHERE key_id = $1::uuid
