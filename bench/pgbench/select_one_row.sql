-- The database's limit for reads: one row by primary key (pgbench's own select-only
-- transaction, written out so it runs with -M prepared like the service's statements).
\set aid random(1, 100000 * :scale)
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
