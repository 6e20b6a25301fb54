-- rfc3339() was declared IMMUTABLE although its body (to_char over AT TIME ZONE) is only
-- STABLE. PostgreSQL refuses to inline a SQL function whose declared volatility is
-- stricter than its body, so every call ran as a separate function execution: on the
-- one-row reads that was ~40% of the statement's cost. Declared STABLE (what it is), the
-- planner inlines it. No index or generated column uses it.
ALTER FUNCTION rfc3339(timestamptz) STABLE;
