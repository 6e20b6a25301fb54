SELECT version, change, rfc3339(changed_at), actor, role, portal_user, request_id, state, diff::text
FROM client_history
WHERE client_id = $1::uuid
ORDER BY version
