-- An attempt at the provider begins (committed before anything is sent, so a courier that
-- dies mid-send leaves attempt_started_at behind: the outcome is then unknown). An SMS or
-- e-mail whose delivery was revoked or reissued after the row was claimed does not begin
-- (cancel_revoked_outbox_row then cancels it); a redaction always may.
UPDATE outbox
SET attempt_started_at = now(),
    attempts = attempts + 1,
    lease_until = now() + make_interval(secs => $3::double precision / 1000)
WHERE id = $1 AND claimed_by = $2 AND state = 'sending'
  AND (kind = 'sms_redact'
       OR NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = outbox.delivery_id AND d.revoked_at IS NOT NULL))
