SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM audit_events
