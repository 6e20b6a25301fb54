-- Sealing the audit queue into the hash chain in one statement. Until now each seal was a
-- transaction of five round trips (BEGIN, lock, read the queue, read the head, move the
-- batch) plus COMMIT, with every queued row shipped to the service and back; every write
-- with an audit event waits for a seal, so on the registration path the seal cost more
-- than the write itself. audit_seal_queue(batch[, ids]) does the same work inside the server and
-- returns how many events it sealed; called outside a transaction it commits on its own
-- (asynchronously, see below).
--
-- The encoding is the one domain::CanonicalAuditEncoding defines (name=<byte length>:
-- <value>\n per field, in order, v=1 first; octet_length is the byte length in this UTF-8
-- database) and the hash is hex SHA-256 over it, so the
-- service's verification (which recomputes every hash itself) checks this function's work
-- independently. The advisory lock is db::kAuditChainLock, shared with any instance still
-- sealing through the old statements.
DO $$
BEGIN
    IF (SELECT encoding FROM pg_database WHERE datname = current_database()) <> pg_char_to_encoding('UTF8') THEN
        RAISE EXCEPTION 'onboard needs a UTF8 database: the audit seal counts bytes of UTF-8 text';
    END IF;
END
$$;

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
        -- One concat() rather than a helper function per field: a SQL function call per
        -- field cost ~60 us an event, more than inserting it.
        h := encode(sha256(convert_to(concat(
                 'v=1:1', E'\n',
                 'seq=', octet_length(head_seq::text), ':', head_seq, E'\n',
                 'occurred_at_us=', octet_length(r.occurred_at_us::text), ':', r.occurred_at_us, E'\n',
                 'actor=', octet_length(r.actor), ':', r.actor, E'\n',
                 'role=', octet_length(r.role), ':', r.role, E'\n',
                 'portal_user=', octet_length(coalesce(r.portal_user, '')), ':', r.portal_user, E'\n',
                 'request_id=', octet_length(coalesce(r.request_id, '')), ':', r.request_id, E'\n',
                 'source_ip=', octet_length(coalesce(r.source_ip, '')), ':', r.source_ip, E'\n',
                 'organisation=', octet_length(coalesce(r.organisation, '')), ':', r.organisation, E'\n',
                 'action=', octet_length(r.action), ':', r.action, E'\n',
                 'target_type=', octet_length(r.target_type), ':', r.target_type, E'\n',
                 'target_id=', octet_length(r.target_id), ':', r.target_id, E'\n',
                 'outcome=', octet_length(r.outcome), ':', r.outcome, E'\n',
                 'detail=', octet_length(r.detail), ':', r.detail, E'\n',
                 'prev_hash=', octet_length(prev), ':', prev, E'\n'), 'UTF8')), 'hex');
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
