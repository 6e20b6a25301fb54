-- The package e-mail could not be sent ($2: reply code and text).
UPDATE deliveries
SET email_state = 'failed', email_error = $2, updated_at = now()
WHERE id = $1
