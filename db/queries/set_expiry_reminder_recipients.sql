UPDATE expiry_reminders SET recipients = $2::integer WHERE id = $1::bigint
