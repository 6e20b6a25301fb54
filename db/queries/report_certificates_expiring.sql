-- Enterprise certificates bound to a client (not removed) whose not_after falls within $2
-- days of now and has not passed, soonest first.
SELECT k.client_id::text, k.id::text, k.kid, c.organisation, c.environment, coalesce(k.subject, ''),
       coalesce(k.orgno, ''), coalesce(k.issuer, ''), coalesce(k.serial, ''), coalesce(k.thumbprint, ''),
       rfc3339(k.not_after), floor(extract(epoch FROM k.not_after - now()) / 86400)::bigint
FROM client_keys k JOIN clients c ON c.client_id = k.client_id
WHERE ($1::text IS NULL OR c.organisation = $1::text)
  AND k.kind = 'certificate' AND k.removed_at IS NULL
  AND k.not_after > now() AND k.not_after <= now() + $2::int * interval '1 day'
ORDER BY k.not_after, k.id
