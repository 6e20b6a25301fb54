-- Pending deliveries of subscription $1 are cancelled ($2: why).
UPDATE notification_outbox
SET state = 'cancelled', completed_at = now(), lease_until = NULL, last_error_code = 'subscription_' || $2
WHERE subscription_id = $1::uuid AND state IN ('pending', 'sending')
