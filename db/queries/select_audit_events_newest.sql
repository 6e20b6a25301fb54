-- Filtered audit events, newest first, after the cursor ($1: seq of the last event received).
-- $2/$3 occurred_at range in microseconds, $4 actor, $5 role, $6 organisation, $7 action
-- (a LIKE pattern), $8 outcome, $9 request id, $10 client ids, $11 further target ids,
-- $12 limit (NULL: all). NULL filters nothing.
SELECT seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, actor, role, coalesce(portal_user, ''),
       coalesce(request_id, ''), coalesce(source_ip, ''), coalesce(organisation, ''), action, target_type,
       target_id, outcome, detail, prev_hash, hash
FROM audit_events
WHERE ($1::bigint IS NULL OR seq < $1::bigint)
  AND ($2::bigint IS NULL OR occurred_at >= 'epoch'::timestamptz + $2::bigint * interval '1 microsecond')
  AND ($3::bigint IS NULL OR occurred_at < 'epoch'::timestamptz + $3::bigint * interval '1 microsecond')
  AND ($4::text IS NULL OR actor = $4::text)
  AND ($5::text IS NULL OR role = $5::text)
  AND ($6::text IS NULL OR organisation = $6::text)
  AND ($7::text IS NULL OR action LIKE $7::text)
  AND ($8::text IS NULL OR outcome = $8::text)
  AND ($9::text IS NULL OR request_id = $9::text)
  AND (($10::text[] IS NULL AND $11::text[] IS NULL)
       OR target_id = ANY (coalesce($10::text[], '{}') || coalesce($11::text[], '{}'))
       OR ($10::text[] IS NOT NULL
           AND (detail::jsonb ->> 'client_id' = ANY ($10::text[])
                OR detail::jsonb ->> 'test_client_id' = ANY ($10::text[])
                OR detail::jsonb ->> 'production_client_id' = ANY ($10::text[]))))
ORDER BY seq DESC
LIMIT $12::bigint
