-- Takes a sign-in flow for its callback: the first caller sets used_at and sees
-- already_used = false; every later one (another instance too) sees true. The old row
-- version (before this UPDATE) tells whether it had been used; the row lock makes two
-- concurrent callbacks wait for each other.
WITH before AS (
  SELECT state_hash, used_at IS NOT NULL AS already_used
  FROM oidc_flows WHERE state_hash = $1 FOR UPDATE
), taken AS (
  UPDATE oidc_flows f SET used_at = COALESCE(f.used_at, now())
  FROM before b WHERE f.state_hash = b.state_hash
  RETURNING f.binding_hash, f.nonce, f.return_to, f.expires_at <= now() AS expired
)
SELECT t.binding_hash, t.nonce, t.return_to, b.already_used, t.expired FROM taken t, before b
