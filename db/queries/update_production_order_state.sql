UPDATE production_orders
SET state = $2,
    decided_by = coalesce($3, decided_by),
    decision_reason = coalesce($4, decision_reason),
    production_client_id = coalesce($6::uuid, production_client_id),
    submitted_at = CASE WHEN $2 = 'submitted' THEN now() ELSE submitted_at END,
    decided_at = CASE WHEN $2 IN ('approved', 'rejected', 'cancelled') THEN now() ELSE decided_at END,
    version = version + 1,
    updated_at = now()
WHERE id = $1::uuid AND version = $5::int
RETURNING id::text, onboarding_id::text, organisation, test_client_id::text, state, delivery_method, coalesce(delivery_mobile, ''), coalesce(delivery_email, ''), proposed_metadata::text, metadata_diff::text, validation_errors::text, notes, entered_by, entered_by_role, coalesce(entered_by_portal_user, ''), coalesce(rfc3339(submitted_at), ''), coalesce(rfc3339(decided_at), ''), coalesce(decided_by, ''), coalesce(decision_reason, ''), coalesce(production_client_id::text, ''), version, rfc3339(created_at), rfc3339(updated_at), extract(epoch FROM now() - coalesce(submitted_at, created_at))::bigint, seq
