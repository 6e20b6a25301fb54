-- A session by its secret's hash, judged by the database clock (every instance agrees):
-- ended, idle past its timeout, past its absolute end, opened with a token that is no
-- longer usable, and whether last_seen_at is due to be written again (at most once a
-- minute, so reads do not write per request).
SELECT s.id::text, s.method, s.actor, s.display_name, s.role, s.token_id::text,
       rfc3339(s.created_at), rfc3339(s.last_seen_at),
       rfc3339(LEAST(s.expires_at, s.last_seen_at + s.idle_timeout_s * interval '1 second')),
       rfc3339(s.expires_at), rfc3339(s.ended_at),
       s.ended_at IS NOT NULL,
       s.last_seen_at + s.idle_timeout_s * interval '1 second' <= now(),
       s.expires_at <= now(),
       s.token_id IS NOT NULL AND (t.id IS NULL OR t.revoked_at IS NOT NULL
                                   OR (t.expires_at IS NOT NULL AND t.expires_at <= now())),
       s.last_seen_at <= now() - $2::int * interval '1 second'
FROM sessions s
LEFT JOIN api_tokens t ON t.id = s.token_id
WHERE s.secret_hash = $1
