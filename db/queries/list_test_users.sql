SELECT pid, organisation, rfc3339(allocated_at), allocated_by,
       coalesce(rfc3339(released_at), ''), coalesce(released_by, '')
FROM test_users
WHERE organisation = $1
  AND ($2::boolean OR released_at IS NULL)
ORDER BY allocated_at, pid
