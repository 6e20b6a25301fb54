SELECT id::text FROM production_orders
WHERE production_client_id = $1::uuid AND state = 'approved' AND delivery_method = 'certificate'
LIMIT 1
