-- Second-download alarms raised in [$2, $3).
SELECT seq, target_id, coalesce(organisation, ''), rfc3339(occurred_at), coalesce(source_ip, '')
FROM audit_events
WHERE action = 'delivery.package_second_download' AND ($1::text IS NULL OR organisation = $1::text)
  AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
ORDER BY seq
