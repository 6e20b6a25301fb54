-- A dispatch round's events for webhooks, in one statement: arrays side by side, in order
-- (ids $1, types $2, occurred at $3 epoch us, organisations $4 and client ids $5 with ''
-- for none, data $6, the audit seqs they came from $7).
INSERT INTO notification_events (id, type, occurred_at, organisation, client_id, data, audit_seq)
SELECT e.id, e.type, to_timestamp(e.us / 1000000.0), NULLIF(e.org, ''), NULLIF(e.client, ''), e.data::jsonb, e.seq
FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[])
    WITH ORDINALITY AS e (id, type, us, org, client, data, seq, ord)
ORDER BY e.ord
