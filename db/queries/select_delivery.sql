-- One delivery, with the columns of delivery_rows (migration 0046).
SELECT * FROM delivery_rows WHERE key_id = $1::uuid
