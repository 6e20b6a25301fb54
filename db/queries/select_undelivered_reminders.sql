-- Reminders of the last $1 days that reached nobody: no contact to send them to, or every
-- message of them failed or was cancelled.
SELECT r.credential_kind, r.credential_id, r.threshold_days, r.client_id, r.organisation,
  extract(epoch FROM r.expires_at)::bigint, r.recipients,
  (SELECT string_agg(DISTINCT o.last_error_code, ', ') FROM notification_outbox o WHERE o.reminder_id = r.id AND o.state = 'failed')
FROM expiry_reminders r
WHERE r.created_at > now() - make_interval(days => $1::integer)
  AND (r.recipients = 0 OR (EXISTS (SELECT 1 FROM notification_outbox o WHERE o.reminder_id = r.id)
       AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.reminder_id = r.id AND o.state IN ('pending', 'sending', 'done'))))
ORDER BY r.created_at
