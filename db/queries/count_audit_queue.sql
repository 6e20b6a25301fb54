SELECT count(*) FROM audit_queue
