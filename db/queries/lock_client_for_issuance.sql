-- The client locked for a secret's issuance ($1), the transaction's clock (whole seconds,
-- the clock validity is checked against) and the client's valid secrets, newest first:
-- one row per valid secret, or one row with NULL secret columns when there is none, and
-- no row when there is no such client. The secrets are matched on $1, not on c.client_id:
-- so the index lookup is by client whatever the join's estimates (with the join column,
-- stale statistics on a growing table made it scan every valid secret of every client).
SELECT floor(extract(epoch FROM now()))::bigint, s.secret_id::text, extract(epoch FROM s.expires_at)::bigint
FROM (SELECT client_id FROM clients WHERE client_id = $1::uuid FOR UPDATE) c
LEFT JOIN client_secrets s
  ON s.client_id = $1::uuid AND s.state = 'active' AND s.revoked_at IS NULL AND s.expires_at > now()
ORDER BY s.created_at DESC, s.secret_id DESC
