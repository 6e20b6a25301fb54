INSERT INTO audit_refusals (day, token_key, status, token_name, role, count, last_at)
VALUES ($1::date, $2, $3::smallint, $4, $5, $6::bigint, 'epoch'::timestamptz + $7::bigint * interval '1 microsecond')
ON CONFLICT ON CONSTRAINT audit_refusals_pkey DO UPDATE
SET count = audit_refusals.count + excluded.count,
    last_at = greatest(audit_refusals.last_at, excluded.last_at),
    token_name = CASE WHEN excluded.token_name <> '' THEN excluded.token_name ELSE audit_refusals.token_name END,
    role = CASE WHEN excluded.role <> '' THEN excluded.role ELSE audit_refusals.role END
