-- Client secret rotation and the delivery of production secrets: an AES-256 encrypted zip
-- (e-mailed or downloaded once) whose password goes out by SMS. The courier
-- (onboard-courier) sends what the outbox holds; every payload and stored package is sealed
-- with AES-256-GCM under a key-encryption key (KEK) from the configuration, named by its id.

-- Rotation: a secret that a newer one replaced keeps authenticating until its (shortened)
-- expires_at; superseded_at says when that grace period began. A secret authenticates iff
-- state = 'active' AND revoked_at IS NULL AND expires_at > now().
ALTER TABLE client_secrets ADD COLUMN superseded_at timestamptz;
ALTER TABLE client_secrets ADD COLUMN revoked_by text;
ALTER TABLE client_secrets ADD COLUMN revoke_reason text;
ALTER TABLE client_secrets ADD CONSTRAINT client_secrets_revoked_has_time
    CHECK (state <> 'revoked' OR revoked_at IS NOT NULL);
CREATE INDEX client_secrets_valid_idx ON client_secrets (client_id, expires_at)
    WHERE state = 'active' AND revoked_at IS NULL;

-- One row per issued production (or operator-issued) secret: how its package travels.
CREATE TABLE deliveries (
    id                  uuid        NOT NULL,
    client_id           uuid        NOT NULL,
    secret_id           uuid        NOT NULL,
    organisation        text        NOT NULL,
    order_id            uuid,
    environment         text        NOT NULL,
    channel             text        NOT NULL,
    mobile              text        NOT NULL,
    email               text,
    package_kek_id      text,
    package             bytea,
    package_state       text        NOT NULL,
    package_expires_at  timestamptz NOT NULL,
    package_destroyed_at timestamptz,
    downloaded_at       timestamptz,
    downloaded_ip       text,
    download_attempts   integer     NOT NULL DEFAULT 0,
    email_state         text        NOT NULL,
    email_sent_at       timestamptz,
    email_error         text,
    sms_state           text        NOT NULL DEFAULT 'queued',
    sms_sid             text,
    sms_error_code      text,
    sms_error_message   text,
    sms_updated_at      timestamptz,
    sms_redacted_at     timestamptz,
    revoked_at          timestamptz,
    superseded_by       uuid,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deliveries_pkey PRIMARY KEY (id),
    CONSTRAINT deliveries_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT deliveries_secret_fkey FOREIGN KEY (secret_id) REFERENCES client_secrets (secret_id),
    CONSTRAINT deliveries_secret_key UNIQUE (secret_id),
    CONSTRAINT deliveries_organisation_fkey FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT deliveries_order_fkey FOREIGN KEY (order_id) REFERENCES production_orders (id),
    CONSTRAINT deliveries_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES deliveries (id),
    CONSTRAINT deliveries_environment_check CHECK (environment IN ('test', 'production')),
    CONSTRAINT deliveries_channel_check CHECK (channel IN ('email', 'download')),
    CONSTRAINT deliveries_mobile_check CHECK (mobile ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT deliveries_email_for_channel CHECK (channel <> 'email' OR email IS NOT NULL),
    CONSTRAINT deliveries_package_state_check
        CHECK (package_state IN ('built', 'emailed', 'downloaded', 'expired', 'destroyed')),
    -- A stored package exists only while it waits for its one download.
    CONSTRAINT deliveries_package_only_when_built
        CHECK (package IS NULL OR (package_state = 'built' AND channel = 'download' AND package_kek_id IS NOT NULL)),
    CONSTRAINT deliveries_email_state_check
        CHECK (email_state IN ('not_applicable', 'queued', 'sent', 'failed')),
    CONSTRAINT deliveries_sms_state_check
        CHECK (sms_state IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed')),
    CONSTRAINT deliveries_download_attempts_check CHECK (download_attempts >= 0)
);
CREATE INDEX deliveries_client_idx ON deliveries (client_id, created_at);
CREATE INDEX deliveries_order_idx ON deliveries (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX deliveries_sms_sid_idx ON deliveries (sms_sid) WHERE sms_sid IS NOT NULL;
-- The expiry sweep finds packages still waiting past their time.
CREATE INDEX deliveries_package_expiry_idx ON deliveries (package_expires_at)
    WHERE package IS NOT NULL;

-- Messages the courier sends (SMS through Twilio, e-mail through SMTP), written in the same
-- transaction as what caused them.
CREATE TABLE outbox (
    id                  bigint      GENERATED ALWAYS AS IDENTITY,
    delivery_id         uuid        NOT NULL,
    kind                text        NOT NULL,
    state               text        NOT NULL DEFAULT 'pending',
    recipient           text        NOT NULL,
    payload_kek_id      text,
    payload             bytea,
    attempts            integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    deadline_at         timestamptz NOT NULL,
    claimed_by          text,
    lease_until         timestamptz,
    attempt_started_at  timestamptz,
    provider_ref        text,
    last_error_code     text,
    last_error_message  text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    CONSTRAINT outbox_pkey PRIMARY KEY (id),
    CONSTRAINT outbox_delivery_fkey FOREIGN KEY (delivery_id) REFERENCES deliveries (id),
    CONSTRAINT outbox_kind_check CHECK (kind IN ('sms', 'email', 'sms_redact')),
    CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'sending', 'done', 'failed', 'cancelled')),
    CONSTRAINT outbox_payload_has_kek CHECK (payload IS NULL OR payload_kek_id IS NOT NULL),
    -- A finished message keeps nothing it could resend.
    CONSTRAINT outbox_no_payload_when_finished
        CHECK (payload IS NULL OR state IN ('pending', 'sending')),
    CONSTRAINT outbox_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_provider_ref_idx ON outbox (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX outbox_delivery_idx ON outbox (delivery_id, id);
