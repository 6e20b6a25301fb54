SELECT r.id::text, r.client_id::text, r.catalogue_version, r.tester, rfc3339(r.tested_at), r.complete,
       array_to_json(r.missing_mandatory)::text, rfc3339(r.recorded_at), r.recorded_by, r.recorded_role,
       coalesce(r.portal_user, ''),
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'case_id', x.case_id, 'outcome', x.outcome, 'evidence', x.evidence,
                   'attachment', coalesce(x.attachment, '')) ORDER BY x.case_id), '[]'::jsonb)
          FROM verification_run_results x
         WHERE x.run_id = r.id)::text
FROM verification_runs r
WHERE r.client_id = $1::uuid
  AND (NOT $2::boolean OR r.complete)
ORDER BY r.tested_at DESC, r.seq DESC
LIMIT $3::int
