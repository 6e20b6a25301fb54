UPDATE notification_cursor SET audit_seq = $1::bigint, updated_at = now() WHERE id = 1
