-- The dispatcher's position in the audit chain. SKIP LOCKED: while one instance dispatches,
-- the others skip their round instead of waiting (and never derive an event twice).
SELECT audit_seq FROM notification_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED
