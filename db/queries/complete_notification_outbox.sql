UPDATE notification_outbox
SET state = 'done', provider_ref = $3, last_status = $4::integer, completed_at = now(), lease_until = NULL,
    last_error_code = NULL, last_error_message = NULL
WHERE id = $1::bigint AND claimed_by = $2 AND state = 'sending'
