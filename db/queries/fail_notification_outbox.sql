UPDATE notification_outbox
SET state = 'failed', last_error_code = $3, last_error_message = $4, last_status = $5::integer,
    completed_at = now(), lease_until = NULL
WHERE id = $1::bigint AND claimed_by = $2 AND state = 'sending'
