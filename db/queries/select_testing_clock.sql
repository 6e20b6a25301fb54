-- The shared test clock's offset in seconds (testing.clock_control only).
SELECT offset_s FROM testing_clock WHERE id = 1
