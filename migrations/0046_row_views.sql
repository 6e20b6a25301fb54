-- The select lists that several statements of db/queries repeated, each written once: an
-- onboarding case, a verification run and a delivery as their repositories read them
-- (OnboardingFromRow, RunFromRow, DeliveryFromRow read the columns in this order). The
-- statements filter and order on the key columns at the end. Plain views: PostgreSQL
-- inlines them, so every plan is the one the statement had with the list written out.
-- A change to a list is a new migration (CREATE OR REPLACE VIEW, columns appended).

CREATE VIEW onboarding_rows AS
SELECT o.id::text AS id, o.organisation, o.service_name, o.state,
       o.planning_schedule, o.planning_production_plan, o.planning_service_description,
       o.planning_expected_volume, o.planning_high_traffic_periods, o.planning_support_impact,
       o.contacts::text AS contacts, o.production_client_id::text AS production_client_id,
       o.version, o.created_by, rfc3339(o.created_at) AS created_at,
       rfc3339(o.updated_at) AS updated_at,
       a.terms_version, rfc3339(a.accepted_at) AS accepted_at, a.accepted_by, a.accepted_role,
       a.portal_user,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'client_id', l.client_id, 'client_name', c.client_name, 'environment', c.environment,
                   'state', c.state, 'linked_at', rfc3339(l.linked_at), 'linked_by', l.linked_by)
                   ORDER BY l.linked_at, l.client_id), '[]'::jsonb)
          FROM onboarding_clients l
          JOIN clients c ON c.client_id = l.client_id
         WHERE l.onboarding_id = o.id)::text AS test_clients,
       o.seq,
       o.id AS key_id
FROM onboardings o
LEFT JOIN LATERAL (
    SELECT t.terms_version, t.accepted_at, t.accepted_by, t.accepted_role, t.portal_user
      FROM onboarding_terms_acceptances t
     WHERE t.onboarding_id = o.id
     ORDER BY t.seq DESC
     LIMIT 1) a ON true;

CREATE VIEW verification_run_rows AS
SELECT r.id::text AS id, r.client_id::text AS client_id, r.catalogue_version, r.tester,
       rfc3339(r.tested_at) AS tested_at, r.complete,
       array_to_json(r.missing_mandatory)::text AS missing_mandatory,
       rfc3339(r.recorded_at) AS recorded_at, r.recorded_by, r.recorded_role,
       coalesce(r.portal_user, '') AS portal_user,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'case_id', x.case_id, 'outcome', x.outcome, 'evidence', x.evidence,
                   'attachment', coalesce(x.attachment, '')) ORDER BY x.case_id), '[]'::jsonb)
          FROM verification_run_results x
         WHERE x.run_id = r.id)::text AS results,
       r.id AS key_id, r.client_id AS key_client_id, r.tested_at AS key_tested_at,
       r.seq AS key_seq
FROM verification_runs r;

CREATE VIEW delivery_rows AS
SELECT id::text AS id, client_id::text AS client_id, secret_id::text AS secret_id, organisation,
       order_id::text AS order_id, environment, channel, mobile, email, package_state,
       rfc3339(package_expires_at) AS package_expires_at,
       rfc3339(package_destroyed_at) AS package_destroyed_at,
       rfc3339(downloaded_at) AS downloaded_at, downloaded_ip, download_attempts, email_state,
       rfc3339(email_sent_at) AS email_sent_at, email_error, sms_state, sms_sid, sms_error_code,
       sms_error_message, rfc3339(sms_updated_at) AS sms_updated_at,
       rfc3339(sms_redacted_at) AS sms_redacted_at, rfc3339(revoked_at) AS revoked_at,
       superseded_by::text AS superseded_by, created_by, rfc3339(created_at) AS created_at,
       rfc3339(updated_at) AS updated_at,
       id AS key_id, client_id AS key_client_id, created_at AS key_created_at
FROM deliveries;
