SELECT id::text, client_id::text, secret_id::text, organisation, order_id::text, environment, channel, mobile, email,
       package_state, rfc3339(package_expires_at), rfc3339(package_destroyed_at), rfc3339(downloaded_at),
       downloaded_ip, download_attempts, email_state, rfc3339(email_sent_at), email_error, sms_state, sms_sid,
       sms_error_code, sms_error_message, rfc3339(sms_updated_at), rfc3339(sms_redacted_at), rfc3339(revoked_at),
       superseded_by::text, created_by, rfc3339(created_at), rfc3339(updated_at)
FROM deliveries
WHERE client_id = $1::uuid
ORDER BY created_at DESC, id
