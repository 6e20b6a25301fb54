-- OIDC clients in the test and production environments, with their change history.

CREATE TABLE clients (
    client_id               uuid        NOT NULL,
    environment             text        NOT NULL,
    organisation            text        NOT NULL,
    integration_type        text        NOT NULL,
    client_name             text        NOT NULL,
    state                   text        NOT NULL,
    metadata                jsonb       NOT NULL,
    version                 integer     NOT NULL DEFAULT 1,
    registration_channel    text        NOT NULL,
    registration_token_hash text,
    created_by              text        NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT clients_pkey PRIMARY KEY (client_id),
    CONSTRAINT clients_organisation_fkey FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT clients_environment_check CHECK (environment IN ('test', 'production')),
    CONSTRAINT clients_state_check CHECK (state IN ('active', 'deactivated', 'awaiting_credentials')),
    CONSTRAINT clients_channel_check
        CHECK (registration_channel IN ('portal', 'operator', 'mail', 'web_form', 'registration_api', 'production_order')),
    CONSTRAINT clients_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT clients_registration_token_hash_key UNIQUE (registration_token_hash)
);
CREATE INDEX clients_organisation_idx ON clients (organisation, client_id);
CREATE INDEX clients_environment_idx ON clients (environment, client_id);

-- One row per version of a client: who changed it, when, the metadata after the change and
-- the field-level diff from the version before.
CREATE TABLE client_history (
    client_id    uuid        NOT NULL,
    version      integer     NOT NULL,
    change       text        NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL,
    role         text        NOT NULL,
    portal_user  text,
    request_id   text,
    state        text        NOT NULL,
    metadata     jsonb       NOT NULL,
    diff         jsonb       NOT NULL DEFAULT '[]'::jsonb,
    CONSTRAINT client_history_pkey PRIMARY KEY (client_id, version),
    CONSTRAINT client_history_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT client_history_change_check
        CHECK (change IN ('create', 'update', 'deactivate', 'reactivate', 'activate'))
);

-- Client secrets: only a keyed hash (HMAC-SHA-256 with the server's pepper) is stored.
CREATE TABLE client_secrets (
    secret_id     uuid        NOT NULL,
    client_id     uuid        NOT NULL,
    secret_hash   text        NOT NULL,
    prefix        text        NOT NULL,
    state         text        NOT NULL DEFAULT 'active',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    created_by    text        NOT NULL,
    CONSTRAINT client_secrets_pkey PRIMARY KEY (secret_id),
    CONSTRAINT client_secrets_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT client_secrets_hash_key UNIQUE (secret_hash),
    CONSTRAINT client_secrets_state_check CHECK (state IN ('active', 'revoked'))
);
CREATE INDEX client_secrets_client_idx ON client_secrets (client_id, created_at);

-- A portal token may be bound to one organisation: it then acts for that organisation
-- without headers, which lets a standard RFC 7591 client use it as its initial access token.
ALTER TABLE api_tokens ADD COLUMN organisation text;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_organisation_fkey
    FOREIGN KEY (organisation) REFERENCES organisations (orgno);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_organisation_portal_only
    CHECK (organisation IS NULL OR role = 'portal');
