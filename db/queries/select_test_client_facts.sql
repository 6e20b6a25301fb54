-- For each client id of $1: the newest complete verification run (the columns of
-- list_verification_runs, all NULL when it has none), then the id and the onboarding case
-- that links it (NULL when none). One row per id; the work queue's readiness at a glance.
SELECT r.id::text, r.client_id::text, r.catalogue_version, r.tester, rfc3339(r.tested_at), r.complete,
       array_to_json(r.missing_mandatory)::text, rfc3339(r.recorded_at), r.recorded_by, r.recorded_role,
       coalesce(r.portal_user, ''),
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'case_id', x.case_id, 'outcome', x.outcome, 'evidence', x.evidence,
                   'attachment', coalesce(x.attachment, '')) ORDER BY x.case_id), '[]'::jsonb)
          FROM verification_run_results x
         WHERE x.run_id = r.id)::text,
       c.id::text, oc.onboarding_id::text
FROM unnest($1::uuid[]) AS c (id)
LEFT JOIN onboarding_clients oc ON oc.client_id = c.id
LEFT JOIN LATERAL (
  SELECT v.*
  FROM verification_runs v
  WHERE v.client_id = c.id AND v.complete
  ORDER BY v.tested_at DESC, v.seq DESC
  LIMIT 1) r ON true
