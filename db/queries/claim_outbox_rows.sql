-- onboard-courier: claims due outbox rows for courier $1 (pending and due, or sending with
-- an expired lease because its courier died), at most $2, leased for $3 ms. SKIP LOCKED lets
-- any number of couriers on any hosts share the work without waiting for each other.
-- A redaction waits until the SMS row of its delivery is finished: a courier that has not yet
-- recorded its send must still be able to find the message (with its body) at the provider.
WITH due AS (
  SELECT id FROM outbox o
  WHERE ((o.state = 'pending' AND o.next_attempt_at <= now())
      OR (o.state = 'sending' AND o.lease_until < now()))
    AND NOT (o.kind = 'sms_redact' AND EXISTS (
      SELECT 1 FROM outbox s
      WHERE s.delivery_id = o.delivery_id AND s.kind = 'sms' AND s.state IN ('pending', 'sending')))
  ORDER BY id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE outbox o
SET state = 'sending',
    claimed_by = $1,
    lease_until = now() + make_interval(secs => $3::double precision / 1000)
FROM due, deliveries d
WHERE o.id = due.id AND d.id = o.delivery_id
RETURNING o.id, o.delivery_id, o.kind, o.recipient, o.payload_kek_id, encode(o.payload, 'hex'), o.attempts,
  (extract(epoch FROM o.deadline_at) * 1000000)::bigint,
  (extract(epoch FROM o.attempt_started_at) * 1000000)::bigint,
  o.provider_ref, d.organisation, d.sms_sid
