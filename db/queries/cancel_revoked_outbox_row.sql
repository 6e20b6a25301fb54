-- onboard-courier: a claimed SMS or e-mail whose delivery was revoked or reissued after the
-- claim is cancelled instead of sent; the sealed payload is erased.
UPDATE outbox
SET state = 'cancelled', payload = NULL, payload_kek_id = NULL, completed_at = now(), lease_until = NULL,
    last_error_code = 'cancelled', last_error_message = 'the delivery was revoked before sending'
WHERE id = $1 AND claimed_by = $2 AND state = 'sending' AND kind <> 'sms_redact'
  AND EXISTS (SELECT 1 FROM deliveries d WHERE d.id = outbox.delivery_id AND d.revoked_at IS NOT NULL)
