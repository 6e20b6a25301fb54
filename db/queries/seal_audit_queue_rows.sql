SELECT audit_seal_queue(2147483647, $1::bigint[])
