-- Sealing the audit queue into the hash chain in one statement. Until now each seal was a
-- transaction of five round trips (BEGIN, lock, read the queue, read the head, move the
-- batch) plus COMMIT, with every queued row shipped to the service and back; every write
-- with an audit event waits for a seal, so on the registration path the seal cost more
-- than the write itself. audit_seal_queue(batch[, ids]) does the same work inside the server and
-- returns how many events it sealed; called outside a transaction it commits on its own
-- (asynchronously, see below).
--
-- The encoding is the one domain::CanonicalAuditEncoding defines (name=<byte length>:
-- <value>\n per field, in order, v=1 first) and the hash is hex SHA-256 over it, so the
-- service's verification (which recomputes every hash itself) checks this function's work
-- independently. The advisory lock is db::kAuditChainLock, shared with any instance still
-- sealing through the old statements.
CREATE FUNCTION audit_put(name text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN name || '=' || octet_length(convert_to(value, 'UTF8')) || ':' || value || E'\n';

CREATE FUNCTION audit_seal_queue(batch int, only_ids bigint[] DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    queued    refcursor;
    head_seq  bigint;
    prev      text;
    r         record;
    ids       bigint[] := '{}';
    seqs      bigint[] := '{}';
    prevs     text[] := '{}';
    hashes    text[] := '{}';
    h         text;
    moved     bigint;
BEGIN
    -- The seal's commit does not wait for its WAL flush. Nothing can be lost by that: the
    -- events it moves were committed durably into the queue by their own transactions; if
    -- the server crashes before this commit reaches disk, they are still queued afterwards
    -- and the next seal moves them. WAL is replayed in order, so no later durable commit
    -- (another seal, or a write that depends on this head) can survive without this one.
    -- The chain lock is then held for the work only, not for an fsync, which made every
    -- audited write in the process wait for the previous seal's disk flush.
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM pg_advisory_xact_lock(8029463416163951618);
    SELECT seq, hash INTO head_seq, prev FROM audit_events ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        prev := '0000000000000000000000000000000000000000000000000000000000000000';
    END IF;
    -- only_ids: the rows the callers committed, looked up by key. The queue is insert-then-
    -- delete churn, so its index holds many dead entries until vacuum; a scan from its start
    -- walks through all of them, which on a busy queue cost milliseconds per seal. The
    -- sweep (only_ids NULL) scans the whole queue for leftovers.
    IF only_ids IS NULL THEN
        OPEN queued FOR SELECT * FROM audit_queue ORDER BY id LIMIT batch;
    ELSE
        OPEN queued FOR SELECT * FROM audit_queue WHERE id = ANY (only_ids) ORDER BY id LIMIT batch;
    END IF;
    LOOP
        FETCH queued INTO r;
        EXIT WHEN NOT FOUND;
        head_seq := head_seq + 1;
        h := encode(sha256(convert_to(
                 audit_put('v', '1') ||
                 audit_put('seq', head_seq::text) ||
                 audit_put('occurred_at_us', r.occurred_at_us::text) ||
                 audit_put('actor', r.actor) ||
                 audit_put('role', r.role) ||
                 audit_put('portal_user', coalesce(r.portal_user, '')) ||
                 audit_put('request_id', coalesce(r.request_id, '')) ||
                 audit_put('source_ip', coalesce(r.source_ip, '')) ||
                 audit_put('organisation', coalesce(r.organisation, '')) ||
                 audit_put('action', r.action) ||
                 audit_put('target_type', r.target_type) ||
                 audit_put('target_id', r.target_id) ||
                 audit_put('outcome', r.outcome) ||
                 audit_put('detail', r.detail) ||
                 audit_put('prev_hash', prev), 'UTF8')), 'hex');
        ids := ids || r.id;
        seqs := seqs || head_seq;
        prevs := prevs || prev;
        hashes := hashes || h;
        prev := h;
    END LOOP;
    CLOSE queued;
    IF cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;
    -- The queue's rows are deleted by key (id = ANY): a join with the batch let the planner
    -- scan the whole queue table, which churn keeps at many pages of dead rows.
    WITH gone AS (
        DELETE FROM audit_queue q WHERE q.id = ANY (ids)
        RETURNING q.*
    ), sealed AS (
        SELECT * FROM unnest(ids, seqs, prevs, hashes) AS s (id, seq, prev_hash, hash)
    )
    INSERT INTO audit_events (seq, occurred_at, actor, role, portal_user, request_id, source_ip, organisation,
                              action, target_type, target_id, outcome, detail, prev_hash, hash)
    SELECT s.seq, 'epoch'::timestamptz + g.occurred_at_us * interval '1 microsecond', g.actor, g.role,
           g.portal_user, g.request_id, g.source_ip, g.organisation, g.action, g.target_type, g.target_id,
           g.outcome, g.detail, s.prev_hash, s.hash
    FROM gone g JOIN sealed s ON s.id = g.id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> cardinality(ids) THEN
        RAISE EXCEPTION 'audit seal moved % of % queued events', moved, cardinality(ids);
    END IF;
    RETURN moved;
END
$$;
