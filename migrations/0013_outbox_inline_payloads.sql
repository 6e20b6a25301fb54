-- Sealed outbox payloads and stored packages are AES-256-GCM ciphertext: compressing them
-- never helps, and moving them out of line costs a TOAST-table row and index entry per
-- issuance. A package and its e-mail (zip in base64, text) come to about 6 kB, so they stay
-- in the row: no compression is tried (STORAGE EXTERNAL) and rows are moved out of line
-- only beyond 8160 bytes (toast_tuple_target), i.e. when they no longer fit one page.
ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE outbox SET (toast_tuple_target = 8160);
ALTER TABLE deliveries ALTER COLUMN package SET STORAGE EXTERNAL;
ALTER TABLE deliveries SET (toast_tuple_target = 8160);
