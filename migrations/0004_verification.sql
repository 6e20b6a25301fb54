-- Verification tests and test users: the versioned catalogue of the provider's
-- verification test cases (seeded with version 1), the recorded verification runs of test
-- clients with one result per case, and the pool of synthetic national identity numbers
-- handed out to organisations. Business rules (which cases a client must pass, when a run
-- is complete, how numbers are generated) live in C++; the constraints here only keep the
-- stored shape sound.

-- A catalogue version is a record once published: a change is a new version.
CREATE TABLE verification_catalogue_versions (
    version       integer     NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    published_by  text        NOT NULL,
    CONSTRAINT verification_catalogue_versions_pkey PRIMARY KEY (version),
    CONSTRAINT verification_catalogue_versions_positive CHECK (version >= 1)
);
CREATE TRIGGER verification_catalogue_versions_immutable
    BEFORE UPDATE OR DELETE ON verification_catalogue_versions
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER verification_catalogue_versions_no_truncate
    BEFORE TRUNCATE ON verification_catalogue_versions
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

-- `feature` names a client feature (see domain/verification.hpp): for an optional case the
-- feature that makes it required, for a mandatory case the feature it needs registered.
CREATE TABLE verification_catalogue_cases (
    version      integer NOT NULL,
    case_id      integer NOT NULL,
    name         text    NOT NULL,
    title        text    NOT NULL,
    description  text    NOT NULL,
    mandatory    boolean NOT NULL,
    feature      text,
    CONSTRAINT verification_catalogue_cases_pkey PRIMARY KEY (version, case_id),
    CONSTRAINT verification_catalogue_cases_name_key UNIQUE (version, name),
    CONSTRAINT verification_catalogue_cases_version_fkey
        FOREIGN KEY (version) REFERENCES verification_catalogue_versions (version),
    CONSTRAINT verification_catalogue_cases_id_positive CHECK (case_id >= 1)
);
CREATE TRIGGER verification_catalogue_cases_immutable
    BEFORE UPDATE OR DELETE ON verification_catalogue_cases
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER verification_catalogue_cases_no_truncate
    BEFORE TRUNCATE ON verification_catalogue_cases
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

-- Version 1, from the provider's list (DOMAIN.md "Verification tests").
-- Feature rules: `onbehalfof` records make 10 required; 7 needs a registered
-- `frontchannel_logout_uri`; `sso_disabled` makes 9 required (such a client relies on the
-- user authenticating at every login, which is what 9 checks). The model has no signal for
-- level high, level upgrades or language (acr_values and ui_locales are chosen per
-- authorisation request, not registered), so 2, 4, 5 and 11 are never required by a
-- feature: they count once a run records them as passed or failed.
INSERT INTO verification_catalogue_versions (version, published_by) VALUES (1, 'migration 0004');
INSERT INTO verification_catalogue_cases (version, case_id, name, title, description, mandatory, feature) VALUES
    (1, 1, 'sso_from_own_service_substantial', 'SSO from own service, level substantial',
     'Log in to your own service and continue by single sign-on to another service. Check that the id_token carries acr = idporten-loa-substantial.',
     true, NULL),
    (1, 2, 'sso_from_own_service_high', 'SSO from own service, level high',
     'As test 1, at level high: the id_token carries acr = idporten-loa-high. Required when the service asks for level high.',
     false, NULL),
    (1, 3, 'sso_into_own_service_substantial', 'SSO into own service, level substantial',
     'Log in to another service first, then open your own service: the user is logged in by single sign-on without authenticating again, acr = idporten-loa-substantial.',
     true, NULL),
    (1, 4, 'sso_into_own_service_high', 'SSO into own service, level high',
     'As test 3, at level high (acr = idporten-loa-high). Required when the service asks for level high.',
     false, NULL),
    (1, 5, 'security_level_upgrade', 'Upgrading the security level',
     'A user logged in at level substantial is asked to authenticate again when the service asks for level high, and the new id_token carries the higher acr.',
     false, NULL),
    (1, 6, 'single_logout_from_own_service', 'Single logout from own service',
     'Log out from your own service: the user is logged out of every service in the session. Also test with a user who has no access to your service.',
     true, NULL),
    (1, 7, 'single_logout_from_other_service', 'Single logout started from another service',
     'Log out from another service in the same session: your service receives the front-channel logout request and ends its own session.',
     true, 'frontchannel_logout_uri'),
    (1, 8, 'logout_after_inactivity', 'Logout after inactivity',
     'After more than 30 minutes without activity the user is logged out and must authenticate again.',
     true, NULL),
    (1, 9, 'forced_reauthentication', 'Forced re-authentication',
     'With prompt=login the user must authenticate again even within a single sign-on session.',
     false, 'sso_disabled'),
    (1, 10, 'onbehalfof', 'Logging in on behalf of a customer (onbehalfof)',
     'Log in through each registered onbehalfof value: the login page shows the customer''s name and the id_token carries the onbehalfof value.',
     false, 'onbehalfof'),
    (1, 11, 'language_selection', 'Language (ui_locales)',
     'With ui_locales the login pages appear in the requested language.',
     false, NULL);

-- One recorded verification run of a test client. `complete` and `missing_mandatory` are
-- computed by the service when the run is recorded, against the run's catalogue version.
-- `seq` orders runs recorded for the same instant.
CREATE TABLE verification_runs (
    id                 uuid        NOT NULL,
    seq                bigint      GENERATED ALWAYS AS IDENTITY,
    client_id          uuid        NOT NULL,
    catalogue_version  integer     NOT NULL,
    tester             text        NOT NULL,
    tested_at          timestamptz NOT NULL,
    complete           boolean     NOT NULL,
    missing_mandatory  integer[]   NOT NULL DEFAULT '{}',
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    recorded_by        text        NOT NULL,
    recorded_role      text        NOT NULL,
    portal_user        text,
    request_id         text,
    CONSTRAINT verification_runs_pkey PRIMARY KEY (id),
    CONSTRAINT verification_runs_seq_key UNIQUE (seq),
    CONSTRAINT verification_runs_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT verification_runs_catalogue_fkey
        FOREIGN KEY (catalogue_version) REFERENCES verification_catalogue_versions (version)
);
CREATE INDEX verification_runs_client_idx ON verification_runs (client_id, tested_at DESC, seq DESC);
CREATE TRIGGER verification_runs_immutable
    BEFORE UPDATE OR DELETE ON verification_runs
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER verification_runs_no_truncate
    BEFORE TRUNCATE ON verification_runs
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

CREATE TABLE verification_run_results (
    run_id      uuid    NOT NULL,
    case_id     integer NOT NULL,
    outcome     text    NOT NULL,
    evidence    text    NOT NULL DEFAULT '',
    attachment  text,
    CONSTRAINT verification_run_results_pkey PRIMARY KEY (run_id, case_id),
    CONSTRAINT verification_run_results_run_fkey FOREIGN KEY (run_id) REFERENCES verification_runs (id),
    CONSTRAINT verification_run_results_outcome_check CHECK (outcome IN ('passed', 'failed', 'not_applicable'))
);
CREATE TRIGGER verification_run_results_immutable
    BEFORE UPDATE OR DELETE ON verification_run_results
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER verification_run_results_no_truncate
    BEFORE TRUNCATE ON verification_run_results
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();

-- Synthetic national identity numbers handed out to organisations. A number is never
-- deleted: once released it stays bound to the organisation that had it, so the primary
-- key keeps it from ever being handed to another organisation.
CREATE TABLE test_users (
    pid           text        NOT NULL,
    organisation  text        NOT NULL,
    allocated_at  timestamptz NOT NULL DEFAULT now(),
    allocated_by  text        NOT NULL,
    released_at   timestamptz,
    released_by   text,
    CONSTRAINT test_users_pkey PRIMARY KEY (pid),
    CONSTRAINT test_users_organisation_fkey FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT test_users_pid_format CHECK (pid ~ '^[0-9]{11}$'),
    CONSTRAINT test_users_released_by_check CHECK ((released_at IS NULL) = (released_by IS NULL))
);
CREATE INDEX test_users_organisation_idx ON test_users (organisation, allocated_at, pid);
-- The only change a row takes is its release, once.
CREATE FUNCTION test_users_release_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.pid IS DISTINCT FROM OLD.pid OR NEW.organisation IS DISTINCT FROM OLD.organisation
       OR NEW.allocated_at IS DISTINCT FROM OLD.allocated_at OR NEW.allocated_by IS DISTINCT FROM OLD.allocated_by
       OR OLD.released_at IS NOT NULL THEN
        RAISE EXCEPTION 'test_users: only an unreleased number may be released'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER test_users_release_only
    BEFORE UPDATE ON test_users
    FOR EACH ROW EXECUTE FUNCTION test_users_release_only();
CREATE TRIGGER test_users_no_delete
    BEFORE DELETE ON test_users
    FOR EACH ROW EXECUTE FUNCTION onboard_refuse_change();
CREATE TRIGGER test_users_no_truncate
    BEFORE TRUNCATE ON test_users
    FOR EACH STATEMENT EXECUTE FUNCTION onboard_refuse_change();
