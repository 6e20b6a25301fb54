-- Refused requests on the UTC days [$1, $2) per token and status.
SELECT token_key, max(token_name), max(role), status, sum(count)::bigint FROM audit_refusals
WHERE day >= $1::date AND day < $2::date
GROUP BY token_key, status
ORDER BY sum(count) DESC, token_key, status
