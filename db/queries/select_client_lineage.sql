-- A client, the test client it was promoted from and the production clients promoted from it.
SELECT c.client_id::text FROM clients c WHERE c.client_id = $1::uuid
UNION
SELECT o.test_client_id::text FROM production_orders o WHERE o.production_client_id = $1::uuid
UNION
SELECT o.production_client_id::text FROM production_orders o
WHERE o.test_client_id = $1::uuid AND o.production_client_id IS NOT NULL
