-- The notifications' test clock (issue #18), shared by every onboard-api and onboard-courier
-- on one database: `PUT /v1/testing/clock` writes the offset here and every process with
-- testing.clock_control reads it, so a test moves time for the reminder scheduler, the
-- dispatcher and the courier's webhook windows (24 h of retries, 3 days to disable) at once.
-- Read only when testing.clock_control is set; production never writes it.
CREATE TABLE testing_clock (
    id         smallint    NOT NULL DEFAULT 1,
    offset_s   bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT testing_clock_pkey PRIMARY KEY (id),
    CONSTRAINT testing_clock_single_row CHECK (id = 1)
);
INSERT INTO testing_clock (id, offset_s) VALUES (1, 0);
