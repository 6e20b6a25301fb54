SELECT id::text, onboarding_id::text, organisation, test_client_id::text, state, delivery_method, coalesce(delivery_mobile, ''), coalesce(delivery_email, ''), proposed_metadata::text, metadata_diff::text, validation_errors::text, notes, entered_by, entered_by_role, coalesce(entered_by_portal_user, ''), coalesce(rfc3339(submitted_at), ''), coalesce(rfc3339(decided_at), ''), coalesce(decided_by, ''), coalesce(decision_reason, ''), coalesce(production_client_id::text, ''), version, rfc3339(created_at), rfc3339(updated_at), extract(epoch FROM now() - coalesce(submitted_at, created_at))::bigint, seq, queue_us
FROM production_orders,
     LATERAL (SELECT (extract(epoch FROM coalesce(submitted_at, created_at)) * 1000000)::bigint AS queue_us) AS q
WHERE ($1::text IS NULL OR state = $1::text)
  AND ($2::uuid IS NULL OR onboarding_id = $2::uuid)
  AND ($3::text IS NULL OR organisation = $3::text)
  AND (queue_us, seq) > ($4::bigint, $5::bigint)
ORDER BY queue_us, seq
LIMIT $6::int
