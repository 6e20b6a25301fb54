-- The runs of client $1, newest first (only complete ones when $2), with the columns of
-- verification_run_rows (migration 0046).
SELECT * FROM verification_run_rows
WHERE key_client_id = $1::uuid
  AND (NOT $2::boolean OR complete)
ORDER BY key_tested_at DESC, key_seq DESC
LIMIT $3::int
