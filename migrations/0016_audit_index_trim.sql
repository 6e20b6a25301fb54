-- Two of audit_events' nine indexes serve no query, yet every sealed event pays for their
-- entries (every action of the service writes one event, so this is on every write path):
-- - audit_events_target_idx (target_type, target_id, seq): every lookup by target filters
--   on target_id alone (support lookup, the audit search's client/target filters) and uses
--   audit_events_target_id_idx (target_id, seq), which migration 0005 added for that.
-- - audit_events_hash_key, UNIQUE (hash): nothing looks an event up by its hash, and
--   uniqueness adds no evidence: each hash covers the previous one and its seq, and the
--   chain verification (VerifyAuditChain, GET /v1/audit/verify) recomputes every link; an
--   editor able to bypass the append-only triggers could drop a constraint as well.
DROP INDEX audit_events_target_idx;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_key;
