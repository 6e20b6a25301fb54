-- Opens a session; expires_at is the absolute end (created_at + the absolute timeout).
WITH s AS (
  INSERT INTO sessions (id, secret_hash, method, actor, display_name, role, token_id, expires_at,
                        idle_timeout_s, source_ip, user_agent)
  VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::uuid, now() + $8::int * interval '1 second', $9::int,
          $10, $11)
  RETURNING *
)
SELECT id::text, method, actor, display_name, role, token_id::text, rfc3339(created_at),
       rfc3339(last_seen_at),
       rfc3339(LEAST(expires_at, last_seen_at + idle_timeout_s * interval '1 second')),
       rfc3339(expires_at), rfc3339(ended_at)
FROM s
