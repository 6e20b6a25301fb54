-- The cases whose ids are in $1 (a uuid array: one for Find, many for FindMany).
SELECT o.id::text, o.organisation, o.service_name, o.state,
       o.planning_schedule, o.planning_production_plan, o.planning_service_description,
       o.planning_expected_volume, o.planning_high_traffic_periods, o.planning_support_impact,
       o.contacts::text, o.production_client_id::text, o.version, o.created_by,
       rfc3339(o.created_at), rfc3339(o.updated_at),
       a.terms_version, rfc3339(a.accepted_at), a.accepted_by, a.accepted_role, a.portal_user,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'client_id', l.client_id, 'client_name', c.client_name, 'environment', c.environment,
                   'state', c.state, 'linked_at', rfc3339(l.linked_at), 'linked_by', l.linked_by)
                   ORDER BY l.linked_at, l.client_id), '[]'::jsonb)
          FROM onboarding_clients l
          JOIN clients c ON c.client_id = l.client_id
         WHERE l.onboarding_id = o.id)::text,
       o.seq
FROM onboardings o
LEFT JOIN LATERAL (
    SELECT t.terms_version, t.accepted_at, t.accepted_by, t.accepted_role, t.portal_user
      FROM onboarding_terms_acceptances t
     WHERE t.onboarding_id = o.id
     ORDER BY t.seq DESC
     LIMIT 1) a ON true
WHERE o.id = ANY ($1::uuid[])
