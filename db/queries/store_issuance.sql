-- The writes of a secret's issuance in one statement (StoreIssuance, after the rotation's
-- shortened expiries): the client's valid secrets superseded, the new secret ($1 client,
-- $2..$6), the delivery when $7 is not NULL ($7..$17) with up to two outbox messages
-- ($18..$21, $22..$25; a NULL kind is none), the client activated when it awaited its
-- credentials (with its history row), and the audit event queued ($26..$37, the values of
-- insert_audit_queue). Returns the audit queue row's id. The foreign keys between these
-- rows are checked at the statement's end, when all of them exist.
WITH superseded AS (
    UPDATE client_secrets
    SET superseded_at = now()
    WHERE client_id = $1::uuid AND state = 'active' AND revoked_at IS NULL AND expires_at > now()
      AND superseded_at IS NULL
), secret AS (
    INSERT INTO client_secrets (secret_id, client_id, secret_hash, prefix, expires_at, created_by)
    VALUES ($2::uuid, $1::uuid, $3, $4, to_timestamp($5::bigint), $6)
), delivery AS (
    INSERT INTO deliveries (id, client_id, secret_id, organisation, order_id, environment, channel, mobile, email,
                            package_kek_id, package, package_state, package_expires_at, email_state, sms_state,
                            created_by)
    SELECT $7::uuid, $1::uuid, $2::uuid, $8, $9::uuid, $10, $11, $12, $13, $14, $15::bytea, 'built',
           to_timestamp($16::bigint), $17, 'queued', $6
    WHERE $7::uuid IS NOT NULL
    RETURNING id
), messages AS (
    INSERT INTO outbox (delivery_id, kind, recipient, payload_kek_id, payload, deadline_at)
    SELECT d.id, m.kind, m.recipient, m.kek_id, m.payload, to_timestamp($16::bigint)
    FROM delivery d
    CROSS JOIN (VALUES ($18::text, $19::text, $20::text, $21::bytea),
                       ($22::text, $23::text, $24::text, $25::bytea)) AS m (kind, recipient, kek_id, payload)
    WHERE m.kind IS NOT NULL
), activated AS (
    UPDATE clients
    SET state = 'active', version = version + 1, updated_at = now()
    WHERE client_id = $1::uuid AND state = 'awaiting_credentials'
    RETURNING client_id, version, metadata
), history AS (
    INSERT INTO client_history (client_id, version, change, actor, role, portal_user, request_id, state, metadata, diff)
    SELECT client_id, version, 'activate', $27, $28, $29, $30, 'active', metadata, '[]'::jsonb FROM activated
), queued AS (
    INSERT INTO audit_queue (occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation, action,
                             target_type, target_id, outcome, detail)
    VALUES ($26::bigint, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37)
    RETURNING id
)
SELECT (SELECT id FROM queued)
