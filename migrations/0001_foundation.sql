-- Foundation: organisations, API tokens and the append-only audit chain.

CREATE TABLE organisations (
    orgno       text        NOT NULL,
    name        text        NOT NULL,
    contacts    jsonb       NOT NULL DEFAULT '[]'::jsonb,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organisations_pkey PRIMARY KEY (orgno),
    CONSTRAINT organisations_orgno_format CHECK (orgno ~ '^[0-9]{9}$'),
    CONSTRAINT organisations_contacts_array CHECK (jsonb_typeof(contacts) = 'array')
);
CREATE INDEX organisations_name_idx ON organisations (lower(name) text_pattern_ops, orgno);

CREATE TABLE api_tokens (
    id            uuid        NOT NULL,
    name          text        NOT NULL,
    role          text        NOT NULL,
    token_hash    text        NOT NULL,
    prefix        text        NOT NULL,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT api_tokens_role_check CHECK (role IN ('operator', 'portal', 'auditor', 'provider'))
);
-- A name identifies one live token; revoked tokens keep their name for the record.
CREATE UNIQUE INDEX api_tokens_active_name_key ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE audit_events (
    seq           bigint      NOT NULL,
    occurred_at   timestamptz NOT NULL,
    actor         text        NOT NULL,
    role          text        NOT NULL,
    portal_user   text,
    request_id    text,
    source_ip     text,
    organisation  text,
    action        text        NOT NULL,
    target_type   text        NOT NULL,
    target_id     text        NOT NULL,
    outcome       text        NOT NULL,
    detail        text        NOT NULL,
    prev_hash     text        NOT NULL,
    hash          text        NOT NULL,
    CONSTRAINT audit_events_pkey PRIMARY KEY (seq),
    CONSTRAINT audit_events_hash_key UNIQUE (hash),
    CONSTRAINT audit_events_detail_json CHECK (detail::jsonb IS NOT NULL)
);
CREATE INDEX audit_events_organisation_idx ON audit_events (organisation, seq);
CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, seq);
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);

-- The audit trail is append-only for everyone, the service's own role included.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Timestamps leave the database as RFC 3339 UTC text with microseconds.
CREATE FUNCTION rfc3339(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
