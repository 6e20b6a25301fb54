INSERT INTO production_orders (id, onboarding_id, organisation, test_client_id, state, delivery_method,
                               delivery_mobile, delivery_email, proposed_metadata, metadata_diff,
                               validation_errors, notes, entered_by, entered_by_role, entered_by_portal_user,
                               submitted_at)
VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $14,
        $15, CASE WHEN $5 = 'submitted' THEN now() END)
RETURNING id::text, onboarding_id::text, organisation, test_client_id::text, state, delivery_method, coalesce(delivery_mobile, ''), coalesce(delivery_email, ''), proposed_metadata::text, metadata_diff::text, validation_errors::text, notes, entered_by, entered_by_role, coalesce(entered_by_portal_user, ''), coalesce(rfc3339(submitted_at), ''), coalesce(rfc3339(decided_at), ''), coalesce(decided_by, ''), coalesce(decision_reason, ''), coalesce(production_client_id::text, ''), version, rfc3339(created_at), rfc3339(updated_at), extract(epoch FROM now() - coalesce(submitted_at, created_at))::bigint, seq
