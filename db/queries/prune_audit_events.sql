SELECT audit_prune($1::bigint)
