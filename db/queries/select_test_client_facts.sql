-- For each client id of $1: the newest complete verification run (the columns of
-- verification_run_rows before its keys, all NULL when it has none), then the id and the
-- onboarding case that links it (NULL when none). One row per id; the work queue's
-- readiness at a glance.
SELECT r.id, r.client_id, r.catalogue_version, r.tester, r.tested_at, r.complete,
       r.missing_mandatory, r.recorded_at, r.recorded_by, r.recorded_role, r.portal_user, r.results,
       c.id::text, oc.onboarding_id::text
FROM unnest($1::uuid[]) AS c (id)
LEFT JOIN onboarding_clients oc ON oc.client_id = c.id
LEFT JOIN LATERAL (
  SELECT v.*
  FROM verification_run_rows v
  WHERE v.key_client_id = c.id AND v.complete
  ORDER BY v.key_tested_at DESC, v.key_seq DESC
  LIMIT 1) r ON true
