-- Failed messages of the deliveries created in [$2, $3) by channel and provider error code.
SELECT channel, code, count(*) FROM (
    SELECT 'sms' AS channel, coalesce(nullif(sms_error_code, ''), 'unknown') AS code FROM deliveries
    WHERE sms_state IN ('undelivered', 'failed') AND ($1::text IS NULL OR organisation = $1::text)
      AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
    UNION ALL
    SELECT 'email', coalesce(nullif(o.last_error_code, ''), 'unknown') FROM deliveries d
    JOIN LATERAL (SELECT last_error_code FROM outbox WHERE delivery_id = d.id AND kind = 'email'
                  ORDER BY id DESC LIMIT 1) o ON true
    WHERE d.email_state = 'failed' AND ($1::text IS NULL OR d.organisation = $1::text)
      AND d.created_at >= $2::timestamptz AND d.created_at < $3::timestamptz
) f
GROUP BY channel, code
ORDER BY count(*) DESC, channel, code
