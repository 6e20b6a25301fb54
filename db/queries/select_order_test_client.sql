-- The test client production order $1 is about: its events reach that client's contacts.
SELECT test_client_id FROM production_orders WHERE id = $1::uuid
