-- The digest of UTC day $1, once across every instance.
INSERT INTO operator_digests (day) VALUES ($1::date) ON CONFLICT DO NOTHING RETURNING day
