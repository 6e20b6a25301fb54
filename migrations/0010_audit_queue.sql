-- Audit events are written in the transaction of the change they describe, into
-- audit_queue, without touching the chain; right after that transaction commits they are
-- sealed into audit_events (seq, prev_hash, hash) in batches, under the chain's advisory
-- lock. The lock is then held for one short transaction per batch instead of through
-- every writer's commit, so concurrent writers no longer queue on it one by one. An event
-- is never lost: it commits (or rolls back) with its change; a batch moves from the queue
-- to the chain in one transaction; a queue left behind by a crashed instance is sealed by
-- any other (each instance sweeps it).
CREATE TABLE audit_queue (
    id              bigint  GENERATED ALWAYS AS IDENTITY,
    occurred_at_us  bigint  NOT NULL,
    actor           text    NOT NULL,
    role            text    NOT NULL,
    portal_user     text,
    request_id      text,
    source_ip       text,
    organisation    text,
    action          text    NOT NULL,
    target_type     text    NOT NULL,
    target_id       text    NOT NULL,
    outcome         text    NOT NULL,
    detail          text    NOT NULL,
    CONSTRAINT audit_queue_pkey PRIMARY KEY (id),
    CONSTRAINT audit_queue_detail_json CHECK (detail::jsonb IS NOT NULL)
);
