-- Drops sign-in flows that expired more than a day ago (kept that long so that a late
-- callback is answered "expired" rather than "unknown").
DELETE FROM oidc_flows WHERE expires_at < now() - interval '1 day'
