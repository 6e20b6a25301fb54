SELECT id::text, delivery_mobile, delivery_email
FROM production_orders
WHERE production_client_id = $1::uuid
ORDER BY seq DESC
LIMIT 1
