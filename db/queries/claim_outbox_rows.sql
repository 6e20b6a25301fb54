-- onboard-courier: claims due outbox rows for courier $1 (pending and due, or sending with
-- an expired lease because its courier died), at most $2, leased for $3 ms. SKIP LOCKED lets
-- any number of couriers on any hosts share the work without waiting for each other.
WITH due AS (
  SELECT id FROM outbox
  WHERE (state = 'pending' AND next_attempt_at <= now())
     OR (state = 'sending' AND lease_until < now())
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
  o.provider_ref, d.organisation
