SELECT hash FROM audit_events WHERE seq = $1::bigint
