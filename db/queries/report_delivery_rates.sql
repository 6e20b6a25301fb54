-- Deliveries created in [$2, $3): SMS delivered/sent, failed/undelivered, still pending;
-- e-mail sent, failed, pending (deliveries without e-mail are not counted for e-mail).
SELECT count(*) FILTER (WHERE sms_state IN ('sent', 'delivered')),
       count(*) FILTER (WHERE sms_state IN ('undelivered', 'failed')),
       count(*) FILTER (WHERE sms_state IN ('queued', 'sending')),
       count(*) FILTER (WHERE email_state = 'sent'),
       count(*) FILTER (WHERE email_state = 'failed'),
       count(*) FILTER (WHERE email_state = 'queued')
FROM deliveries
WHERE ($1::text IS NULL OR organisation = $1::text)
  AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
