-- onboard-courier: claims due notification messages for courier $1 (pending and due, or
-- sending with an expired lease), at most $2, leased for $3 ms; SKIP LOCKED shares the
-- work between any number of couriers.
WITH due AS (
  SELECT id FROM notification_outbox o
  WHERE (o.state = 'pending' AND o.next_attempt_at <= now())
     OR (o.state = 'sending' AND o.lease_until < now())
  ORDER BY id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE notification_outbox o
SET state = 'sending', claimed_by = $1,
    lease_until = now() + make_interval(secs => $3::double precision / 1000)
FROM due
WHERE o.id = due.id
RETURNING o.id, o.kind, o.purpose, o.recipient, o.subject, o.body, o.subscription_id, o.event_id, o.attempts,
  (extract(epoch FROM o.deadline_at) * 1000000)::bigint,
  (extract(epoch FROM o.attempt_started_at) * 1000000)::bigint
