-- Notifications and webhooks (issue #18): notification contacts per organisation and per
-- client, the events derived from the audit chain, webhook subscriptions, expiry reminders
-- and the notification outbox the courier sends from.

-- Who is told ("varslingspunkt"): per organisation (client_id NULL) or per client. A client's
-- contacts are used first; a client without any falls back to its organisation's.
CREATE TABLE notification_contacts (
    id            uuid        NOT NULL,
    organisation  text        NOT NULL,
    client_id     uuid,
    email         text        NOT NULL,
    mobile        text,
    language      text        NOT NULL DEFAULT 'nb',
    kinds         text[]      NOT NULL,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL DEFAULT 1,
    CONSTRAINT notification_contacts_pkey PRIMARY KEY (id),
    CONSTRAINT notification_contacts_organisation_fkey
        FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT notification_contacts_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT notification_contacts_language_check CHECK (language IN ('nb', 'en')),
    CONSTRAINT notification_contacts_mobile_check CHECK (mobile IS NULL OR mobile ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT notification_contacts_kinds_check
        CHECK (cardinality(kinds) > 0 AND kinds <@ ARRAY['expiry', 'critical', 'webhook']::text[]),
    CONSTRAINT notification_contacts_email_key UNIQUE NULLS NOT DISTINCT (organisation, client_id, email)
);
CREATE INDEX notification_contacts_client_idx ON notification_contacts (client_id) WHERE client_id IS NOT NULL;

-- Events for webhooks and critical e-mail, derived from the sealed audit chain by one
-- dispatcher at a time (the cursor row is locked): every audit-worthy change is in the
-- chain, whichever path wrote it. audit_seq is unique, so an event is derived once.
CREATE TABLE notification_events (
    id            uuid        NOT NULL,
    type          text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    organisation  text,
    client_id     text,
    data          jsonb       NOT NULL,
    audit_seq     bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_events_pkey PRIMARY KEY (id),
    CONSTRAINT notification_events_audit_seq_key UNIQUE (audit_seq),
    CONSTRAINT notification_events_data_object CHECK (jsonb_typeof(data) = 'object')
);
CREATE INDEX notification_events_occurred_idx ON notification_events (occurred_at);

-- How far the dispatcher has read the chain. Starts at the head when the migration runs:
-- history before notifications existed produces no events.
CREATE TABLE notification_cursor (
    id         integer NOT NULL,
    audit_seq  bigint  NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_cursor_pkey PRIMARY KEY (id),
    CONSTRAINT notification_cursor_single CHECK (id = 1)
);
INSERT INTO notification_cursor (id, audit_seq) SELECT 1, COALESCE(max(seq), 0) FROM audit_events;

-- Webhook subscriptions. organisation NULL: an operator's subscription to every
-- organisation's events. The signing secret (`whsec_...`) is sealed with the KEK
-- (AES-256-GCM, AAD `onboard-webhook|<id>`): the courier needs it to sign, so it cannot be a
-- hash, and it never lies in a plaintext column.
CREATE TABLE webhook_subscriptions (
    id              uuid        NOT NULL,
    organisation    text,
    url             text        NOT NULL,
    events          text[]      NOT NULL,
    description     text        NOT NULL DEFAULT '',
    secret_kek_id   text        NOT NULL,
    secret_sealed   bytea       NOT NULL,
    state           text        NOT NULL DEFAULT 'active',
    disabled_reason text,
    disabled_at     timestamptz,
    failing_since   timestamptz,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1,
    CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT webhook_subscriptions_organisation_fkey
        FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT webhook_subscriptions_state_check CHECK (state IN ('active', 'disabled', 'deleted')),
    CONSTRAINT webhook_subscriptions_events_check CHECK (cardinality(events) > 0)
);
CREATE INDEX webhook_subscriptions_active_idx ON webhook_subscriptions (organisation) WHERE state = 'active';

-- One row per (credential, threshold): the reminder that was due. The unique key makes it
-- at most once across every instance; its outbox rows are written in the same transaction.
CREATE TABLE expiry_reminders (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    credential_kind  text        NOT NULL,
    credential_id    uuid        NOT NULL,
    threshold_days   integer     NOT NULL,
    client_id        uuid        NOT NULL,
    organisation     text        NOT NULL,
    expires_at       timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    recipients       integer     NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expiry_reminders_pkey PRIMARY KEY (id),
    CONSTRAINT expiry_reminders_once UNIQUE (credential_kind, credential_id, threshold_days),
    CONSTRAINT expiry_reminders_kind_check CHECK (credential_kind IN ('secret', 'key', 'certificate')),
    CONSTRAINT expiry_reminders_threshold_check CHECK (threshold_days > 0)
);

-- The operator team's daily digest: one per UTC day across every instance.
CREATE TABLE operator_digests (
    day         date        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT operator_digests_pkey PRIMARY KEY (day)
);

-- What the courier sends for notifications: e-mail and SMS (reminders, critical events,
-- digests) and webhook deliveries. Bodies are plain text: they never hold a secret (the
-- webhook signing secret is read from the subscription at send time).
CREATE TABLE notification_outbox (
    id                  bigint      GENERATED ALWAYS AS IDENTITY,
    kind                text        NOT NULL,
    purpose             text        NOT NULL,
    state               text        NOT NULL DEFAULT 'pending',
    recipient           text        NOT NULL,
    subject             text,
    body                text        NOT NULL,
    subscription_id     uuid,
    event_id            uuid,
    reminder_id         bigint,
    attempts            integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    deadline_at         timestamptz NOT NULL,
    claimed_by          text,
    lease_until         timestamptz,
    attempt_started_at  timestamptz,
    provider_ref        text,
    last_status         integer,
    last_error_code     text,
    last_error_message  text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    CONSTRAINT notification_outbox_pkey PRIMARY KEY (id),
    CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('email', 'sms', 'webhook')),
    CONSTRAINT notification_outbox_purpose_check
        CHECK (purpose IN ('reminder', 'critical', 'digest', 'webhook', 'webhook_disabled')),
    CONSTRAINT notification_outbox_state_check
        CHECK (state IN ('pending', 'sending', 'done', 'failed', 'cancelled')),
    CONSTRAINT notification_outbox_webhook_has_subscription
        CHECK (kind <> 'webhook' OR (subscription_id IS NOT NULL AND event_id IS NOT NULL)),
    CONSTRAINT notification_outbox_subscription_fkey
        FOREIGN KEY (subscription_id) REFERENCES webhook_subscriptions (id),
    CONSTRAINT notification_outbox_event_fkey FOREIGN KEY (event_id) REFERENCES notification_events (id),
    CONSTRAINT notification_outbox_reminder_fkey FOREIGN KEY (reminder_id) REFERENCES expiry_reminders (id)
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at, id)
    WHERE state IN ('pending', 'sending');
CREATE INDEX notification_outbox_subscription_idx ON notification_outbox (subscription_id, id)
    WHERE subscription_id IS NOT NULL;
CREATE INDEX notification_outbox_reminder_idx ON notification_outbox (reminder_id) WHERE reminder_id IS NOT NULL;

-- The delivery log of a subscription: one row per attempt.
CREATE TABLE webhook_attempts (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    subscription_id  uuid        NOT NULL,
    outbox_id        bigint      NOT NULL,
    event_id         uuid        NOT NULL,
    attempt          integer     NOT NULL,
    status           integer,
    latency_ms       integer     NOT NULL,
    error            text,
    attempted_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_attempts_pkey PRIMARY KEY (id),
    CONSTRAINT webhook_attempts_subscription_fkey FOREIGN KEY (subscription_id) REFERENCES webhook_subscriptions (id),
    CONSTRAINT webhook_attempts_outbox_fkey FOREIGN KEY (outbox_id) REFERENCES notification_outbox (id)
);
CREATE INDEX webhook_attempts_subscription_idx ON webhook_attempts (subscription_id, id);
