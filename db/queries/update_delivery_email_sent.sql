-- The SMTP relay accepted the package e-mail.
UPDATE deliveries
SET email_state = 'sent', email_sent_at = now(), email_error = NULL,
    package_state = CASE WHEN package_state = 'built' THEN 'emailed' ELSE package_state END,
    updated_at = now()
WHERE id = $1
