UPDATE test_users
SET released_at = now(), released_by = $3
WHERE organisation = $1 AND pid = $2 AND released_at IS NULL
RETURNING pid, organisation, rfc3339(allocated_at), allocated_by, rfc3339(released_at), released_by
