-- Credentials that still authenticate and expire after $1 and within $2 days of it ($1: the
-- scheduler's now, epoch seconds): secrets that are active, not revoked and not superseded
-- by a rotation, and keys and certificates bound and not removed, of clients that are not
-- deactivated; with the smallest reminder threshold already sent for each.
WITH creds AS (
  SELECT 'secret'::text AS kind, s.secret_id AS id, s.client_id, s.prefix AS label, s.expires_at
  FROM client_secrets s
  WHERE s.state = 'active' AND s.revoked_at IS NULL AND s.superseded_at IS NULL
    AND s.expires_at > to_timestamp($1::bigint)
    AND s.expires_at <= to_timestamp($1::bigint) + make_interval(days => $2::integer)
  UNION ALL
  SELECT CASE WHEN k.kind = 'certificate' THEN 'certificate' ELSE 'key' END, k.id, k.client_id,
         COALESCE(k.thumbprint, k.kid), k.not_after
  FROM client_keys k
  WHERE k.removed_at IS NULL
    AND k.not_after > to_timestamp($1::bigint)
    AND k.not_after <= to_timestamp($1::bigint) + make_interval(days => $2::integer)
)
SELECT c.kind, c.id, c.client_id, c.label, extract(epoch FROM c.expires_at)::bigint,
  cl.client_name, cl.environment, cl.organisation,
  (SELECT min(r.threshold_days) FROM expiry_reminders r WHERE r.credential_kind = c.kind AND r.credential_id = c.id)
FROM creds c JOIN clients cl ON cl.client_id = c.client_id
WHERE cl.state <> 'deactivated'
ORDER BY c.expires_at, c.id
