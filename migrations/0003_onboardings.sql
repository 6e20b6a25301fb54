-- Onboarding cases (one per organisation and service), the published terms of use and the
-- record of who accepted which terms for a case. Business rules (planning completeness,
-- which clients may be linked, allowed state changes) live in C++; the constraints here
-- only keep the stored shape sound.

-- Rows that are a record once written: published terms and terms acceptances.
CREATE FUNCTION onboard_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is immutable: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- `seq` orders versions by publication (newest first in listings) independently of clocks.
CREATE TABLE terms_versions (
    version       text        NOT NULL,
    seq           bigint      GENERATED ALWAYS AS IDENTITY,
    title         text        NOT NULL,
    url           text        NOT NULL,
    summary       text        NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    published_by  text        NOT NULL,
    CONSTRAINT terms_versions_pkey PRIMARY KEY (version),
    CONSTRAINT terms_versions_seq_key UNIQUE (seq)
);
CREATE TRIGGER terms_versions_immutable
    BEFORE UPDATE OR DELETE ON terms_versions
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER terms_versions_no_truncate
    BEFORE TRUNCATE ON terms_versions
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

-- `seq` is the keyset for listing; `id` is the public identifier.
CREATE TABLE onboardings (
    id                             uuid        NOT NULL,
    seq                            bigint      GENERATED ALWAYS AS IDENTITY,
    organisation                   text        NOT NULL,
    service_name                   text        NOT NULL,
    state                          text        NOT NULL DEFAULT 'open',
    planning_schedule              text        NOT NULL DEFAULT '',
    planning_production_plan       text        NOT NULL DEFAULT '',
    planning_service_description   text        NOT NULL DEFAULT '',
    planning_expected_volume       text        NOT NULL DEFAULT '',
    planning_high_traffic_periods  text        NOT NULL DEFAULT '',
    planning_support_impact        text        NOT NULL DEFAULT '',
    contacts                       jsonb       NOT NULL DEFAULT '[]'::jsonb,
    production_client_id           uuid,
    version                        integer     NOT NULL DEFAULT 1,
    created_by                     text        NOT NULL,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    updated_at                     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT onboardings_pkey PRIMARY KEY (id),
    CONSTRAINT onboardings_seq_key UNIQUE (seq),
    CONSTRAINT onboardings_organisation_fkey FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT onboardings_production_client_fkey
        FOREIGN KEY (production_client_id) REFERENCES clients (client_id),
    CONSTRAINT onboardings_state_check
        CHECK (state IN ('open', 'production_ordered', 'in_production', 'withdrawn')),
    CONSTRAINT onboardings_contacts_array CHECK (jsonb_typeof(contacts) = 'array'),
    CONSTRAINT onboardings_version_positive CHECK (version >= 1)
);
-- One case per service of an organisation (names compared case-insensitively).
CREATE UNIQUE INDEX onboardings_service_key ON onboardings (organisation, lower(service_name));
CREATE INDEX onboardings_organisation_idx ON onboardings (organisation, seq);
CREATE INDEX onboardings_state_idx ON onboardings (state, seq);

-- Test clients linked to a case. A client belongs to at most one case, so a client_id
-- quoted in a production order or a support request leads to exactly one case.
CREATE TABLE onboarding_clients (
    onboarding_id  uuid        NOT NULL,
    client_id      uuid        NOT NULL,
    linked_at      timestamptz NOT NULL DEFAULT now(),
    linked_by      text        NOT NULL,
    CONSTRAINT onboarding_clients_pkey PRIMARY KEY (onboarding_id, client_id),
    CONSTRAINT onboarding_clients_client_key UNIQUE (client_id),
    CONSTRAINT onboarding_clients_onboarding_fkey FOREIGN KEY (onboarding_id) REFERENCES onboardings (id),
    CONSTRAINT onboarding_clients_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id)
);

-- Every acceptance of terms for a case, oldest first; the case shows the newest.
CREATE TABLE onboarding_terms_acceptances (
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    onboarding_id  uuid        NOT NULL,
    terms_version  text        NOT NULL,
    accepted_at    timestamptz NOT NULL DEFAULT now(),
    accepted_by    text        NOT NULL,
    accepted_role  text        NOT NULL,
    portal_user    text,
    request_id     text,
    CONSTRAINT onboarding_terms_acceptances_pkey PRIMARY KEY (seq),
    CONSTRAINT onboarding_terms_acceptances_onboarding_fkey
        FOREIGN KEY (onboarding_id) REFERENCES onboardings (id),
    CONSTRAINT onboarding_terms_acceptances_terms_fkey
        FOREIGN KEY (terms_version) REFERENCES terms_versions (version)
);
CREATE INDEX onboarding_terms_acceptances_onboarding_idx ON onboarding_terms_acceptances (onboarding_id, seq);
CREATE TRIGGER onboarding_terms_acceptances_immutable
    BEFORE UPDATE OR DELETE ON onboarding_terms_acceptances
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER onboarding_terms_acceptances_no_truncate
    BEFORE TRUNCATE ON onboarding_terms_acceptances
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();
