SELECT id::text FROM production_orders
WHERE test_client_id = ANY ($1::uuid[]) OR production_client_id = ANY ($1::uuid[])
