-- audit_seal_queue's statements were planned afresh on every call. PL/pgSQL caches a plan
-- per statement, but under plan_cache_mode = auto a statement with parameters gets custom
-- plans, and it keeps getting them while their estimated cost beats the generic plan's;
-- with `id = ANY (only_ids)` a custom plan knows the array's length and always wins, so
-- the lookup, and the DELETE ... INSERT that moves the batch, were re-planned every time:
-- planning was about half the function's time (perf of the backend under pgbench, one
-- event a call: 0.87 ms a call over a bare queue insert, 0.42 ms with generic plans). The
-- generic plans are the ones wanted anyway: primary-key lookups for the ids, a pkey scan
-- for the sweep.
ALTER FUNCTION audit_seal_queue(int, bigint[]) SET plan_cache_mode = force_generic_plan;
