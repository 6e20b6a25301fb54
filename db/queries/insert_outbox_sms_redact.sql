-- After `delivered`: the courier empties the message body at the provider ($3: the sid).
INSERT INTO outbox (delivery_id, kind, recipient, provider_ref, deadline_at)
VALUES ($1, 'sms_redact', $2, $3, now() + make_interval(mins => $4::int))
RETURNING id
