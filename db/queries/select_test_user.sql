SELECT pid, organisation, rfc3339(allocated_at), allocated_by,
       coalesce(rfc3339(released_at), ''), coalesce(released_by, '')
FROM test_users
WHERE organisation = $1 AND pid = $2
