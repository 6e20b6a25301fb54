-- Moves the shared test clock to offset $1 seconds (PUT /v1/testing/clock).
UPDATE testing_clock SET offset_s = $1::bigint, updated_at = now() WHERE id = 1
