-- Audit reporting: signed checkpoints of the hash chain, refused-request counters for the
-- access report, look-up indexes for the event filters, and the one path by which old
-- events may leave the chain (retention pruning behind a prune checkpoint).

-- A signed statement "the chain had `event_count` events and its head at `seq` had hash
-- `head_hash`". `payload` is the exact text that was signed; `signature` is base64.
-- One daily checkpoint per UTC day (the unique index keeps several instances from
-- writing duplicates); on-demand and prune checkpoints have no day.
CREATE TABLE audit_checkpoints (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    seq          bigint      NOT NULL,
    head_hash    text        NOT NULL,
    event_count  bigint      NOT NULL,
    kind         text        NOT NULL,
    day          date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    algorithm    text        NOT NULL,
    key_id       text        NOT NULL,
    payload      text        NOT NULL,
    signature    text        NOT NULL,
    CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (id),
    CONSTRAINT audit_checkpoints_kind_check CHECK (kind IN ('daily', 'on_demand', 'prune')),
    CONSTRAINT audit_checkpoints_day_only_daily CHECK ((kind = 'daily') = (day IS NOT NULL)),
    CONSTRAINT audit_checkpoints_seq_positive CHECK (seq >= 1 AND event_count >= 1)
);
CREATE UNIQUE INDEX audit_checkpoints_day_key ON audit_checkpoints (day);
CREATE INDEX audit_checkpoints_seq_idx ON audit_checkpoints (seq);
CREATE TRIGGER audit_checkpoints_immutable
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

-- Requests refused with 401 or 403, counted per token and UTC day (token_key is the
-- token's id, or 'anonymous' when no known token was presented). Each instance adds its
-- in-memory counts every second, so a flood of refusals costs one upsert per token and
-- second, not one write per request.
CREATE TABLE audit_refusals (
    day         date        NOT NULL,
    token_key   text        NOT NULL,
    status      smallint    NOT NULL,
    token_name  text        NOT NULL DEFAULT '',
    role        text        NOT NULL DEFAULT '',
    count       bigint      NOT NULL,
    last_at     timestamptz NOT NULL,
    CONSTRAINT audit_refusals_pkey PRIMARY KEY (day, token_key, status),
    CONSTRAINT audit_refusals_status_check CHECK (status IN (401, 403)),
    CONSTRAINT audit_refusals_count_positive CHECK (count >= 1)
);

CREATE INDEX audit_events_actor_idx ON audit_events (actor, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action text_pattern_ops, seq);
CREATE INDEX audit_events_request_id_idx ON audit_events (request_id);

-- The append-only rule with exactly one exception: audit_prune() below may delete the
-- prefix of the chain up to a prune checkpoint. It marks the transaction with
-- onboard.audit_prune_through; the guard lets a DELETE through only for rows at or below
-- that seq and only when a prune checkpoint for that seq exists. UPDATE and TRUNCATE are
-- always refused, and so is an ordinary DELETE.
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    through text := current_setting('onboard.audit_prune_through', true);
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(through, '') <> '' AND OLD.seq <= through::bigint
       AND EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.kind = 'prune' AND c.seq = through::bigint) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER audit_events_append_only ON audit_events;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_guard();

-- Deletes every event with seq <= through_seq. Requires a prune checkpoint at through_seq
-- whose head_hash is that event's hash (so the remaining chain starts from a signed
-- anchor), and never removes the newest event (the head stays where appends read it).
-- Returns the number of events removed.
CREATE FUNCTION audit_prune(through_seq bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_checkpoints c JOIN audit_events e ON e.seq = c.seq AND e.hash = c.head_hash
                   WHERE c.kind = 'prune' AND c.seq = through_seq) THEN
        RAISE EXCEPTION 'no prune checkpoint anchors seq %', through_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF through_seq >= (SELECT max(seq) FROM audit_events) THEN
        RAISE EXCEPTION 'the newest audit event is never pruned'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('onboard.audit_prune_through', through_seq::text, true);
    DELETE FROM audit_events WHERE seq <= through_seq;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('onboard.audit_prune_through', '', true);
    RETURN removed;
END;
$$;
