-- The deliveries of client $1, newest first, with the columns of delivery_rows (migration
-- 0046).
SELECT * FROM delivery_rows
WHERE key_client_id = $1::uuid
ORDER BY key_created_at DESC, key_id
