-- The database's limit for registration: one transaction inserting one row of about a
-- client's size (bench_clients is made by ops/bench next to the service's tables).
INSERT INTO bench_clients (id, orgno, name, metadata)
VALUES (gen_random_uuid(), '974760673', 'Benchmark client ' || :client_id,
        '{"integration_type":"idporten","client_name":"Benchmark client","redirect_uris":["https://app.example.no/callback"]}');
