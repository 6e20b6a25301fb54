SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1
