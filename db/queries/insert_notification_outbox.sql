-- An e-mail or SMS of the notifications ($1 kind, $2 purpose, $3 recipient, $4 subject,
-- $5 body, $6 event, $7 reminder), to be sent within $8 minutes.
INSERT INTO notification_outbox (kind, purpose, recipient, subject, body, event_id, reminder_id, deadline_at)
VALUES ($1, $2, $3, $4, $5, $6::uuid, $7::bigint, now() + make_interval(mins => $8::integer))
RETURNING id
