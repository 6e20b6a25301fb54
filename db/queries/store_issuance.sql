-- The writes of a secret's issuance in one statement (StoreIssuance, after the rotation's
-- shortened expiries), from one named input, $1 (jsonb, built by IssuanceInput):
--   client_id, secret {id, hash, prefix, expires_at (epoch s), created_by},
--   delivery (absent: none) {id, organisation, order_id, environment, channel, mobile, email,
--     package_kek_id, package (hex), package_expires_at (epoch s), email_state,
--     messages [{kind, recipient, kek_id, payload (hex)}]},
--   event {occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation,
--     action, target_type, target_id, outcome, detail}.
-- It supersedes the client's valid secrets, stores the new secret, the delivery with its
-- outbox messages, activates the client when it awaited its credentials (with its history
-- row) and queues the audit event. Returns the audit queue row's id. The foreign keys
-- between these rows are checked at the statement's end, when all of them exist.
WITH input AS (
    SELECT ($1::jsonb ->> 'client_id')::uuid AS client_id, $1::jsonb -> 'secret' AS s,
           $1::jsonb -> 'delivery' AS d, $1::jsonb -> 'event' AS e
), superseded AS (
    UPDATE client_secrets
    SET superseded_at = now()
    FROM input
    WHERE client_secrets.client_id = input.client_id AND state = 'active' AND revoked_at IS NULL
      AND expires_at > now() AND superseded_at IS NULL
), secret AS (
    INSERT INTO client_secrets (secret_id, client_id, secret_hash, prefix, expires_at, created_by)
    SELECT (s ->> 'id')::uuid, client_id, s ->> 'hash', s ->> 'prefix', to_timestamp((s ->> 'expires_at')::bigint),
           s ->> 'created_by'
    FROM input
), delivery AS (
    INSERT INTO deliveries (id, client_id, secret_id, organisation, order_id, environment, channel, mobile, email,
                            package_kek_id, package, package_state, package_expires_at, email_state, sms_state,
                            created_by)
    SELECT (d ->> 'id')::uuid, client_id, (s ->> 'id')::uuid, d ->> 'organisation', (d ->> 'order_id')::uuid,
           d ->> 'environment', d ->> 'channel', d ->> 'mobile', d ->> 'email', d ->> 'package_kek_id',
           decode(d ->> 'package', 'hex'), 'built', to_timestamp((d ->> 'package_expires_at')::bigint),
           d ->> 'email_state', 'queued', s ->> 'created_by'
    FROM input
    WHERE d IS NOT NULL AND jsonb_typeof(d) = 'object'
    RETURNING id
), messages AS (
    INSERT INTO outbox (delivery_id, kind, recipient, payload_kek_id, payload, deadline_at)
    SELECT delivery.id, m.kind, m.recipient, m.kek_id, decode(m.payload, 'hex'),
           to_timestamp((input.d ->> 'package_expires_at')::bigint)
    FROM delivery
    CROSS JOIN input
    CROSS JOIN jsonb_to_recordset(input.d -> 'messages') AS m (kind text, recipient text, kek_id text, payload text)
), activated AS (
    UPDATE clients
    SET state = 'active', version = version + 1, updated_at = now()
    FROM input
    WHERE clients.client_id = input.client_id AND state = 'awaiting_credentials'
    RETURNING clients.client_id, version, metadata
), history AS (
    INSERT INTO client_history (client_id, version, change, actor, role, portal_user, request_id, state, metadata, diff)
    SELECT activated.client_id, version, 'activate', e ->> 'actor', e ->> 'role', e ->> 'portal_user',
           e ->> 'request_id', 'active', metadata, '[]'::jsonb
    FROM activated CROSS JOIN input
), queued AS (
    INSERT INTO audit_queue (occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation, action,
                             target_type, target_id, outcome, detail)
    SELECT (e ->> 'occurred_at_us')::bigint, e ->> 'actor', e ->> 'role', e ->> 'portal_user', e ->> 'request_id',
           e ->> 'source_ip', e ->> 'organisation', e ->> 'action', e ->> 'target_type', e ->> 'target_id',
           e ->> 'outcome', e ->> 'detail'
    FROM input
    RETURNING id
)
SELECT (SELECT id FROM queued)
