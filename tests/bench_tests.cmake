# The benchmark tools' own checks (bench/, run by ops/bench). Included at the end of
# tests/CMakeLists.txt; the tools are built by bench/CMakeLists.txt (added after tests/).
if(NOT DEFINED ONBOARD_BUILD_BENCH OR ONBOARD_BUILD_BENCH)
  # integration: the export benchmark's 1,000,000 events extend the audit chain validly.
  onboard_test_binary(onboard_bench_integration_tests LABEL integration SUITES SERVICE
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/bench_audit_fixture_test.cpp
    LINK onboard_test_support onboard_db DEPENDS onboard_bench_audit_fixture
    ENV ${ONBOARD_TEST_ENV}
    ONBOARD_BENCH_AUDIT_FIXTURE_BIN=$<TARGET_FILE:onboard_bench_audit_fixture>)
endif()

# unit: the export's hand-written formatting against the library code it replaced.
onboard_test_binary(onboard_bench_unit_tests LINK onboard_domain
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/export_format_test.cpp)

# unit: ops/bench-pairs' summary (bench/pairs.py) takes medians per run and binary.
add_test(NAME bench.PairsReportsMediansAndTheirRatio
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/unit/bench_pairs_test.py)
set_tests_properties(bench.PairsReportsMediansAndTheirRatio PROPERTIES LABELS unit TIMEOUT 60)
