SELECT audit_seal_queue($1::int)
