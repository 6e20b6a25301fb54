# The benchmark tools' own checks (bench/, run by ops/bench). Included at the end of
# tests/CMakeLists.txt; the tools are built by bench/CMakeLists.txt (added after tests/).
if(NOT DEFINED ONBOARD_BUILD_BENCH OR ONBOARD_BUILD_BENCH)
  # integration: the export benchmark's 1,000,000 events extend the audit chain validly.
  set(ONBOARD_BENCH_INTEGRATION_SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/bench_audit_fixture_test.cpp)
  add_executable(onboard_bench_integration_tests ${ONBOARD_BENCH_INTEGRATION_SOURCES})
  target_link_libraries(onboard_bench_integration_tests PRIVATE onboard_test_support onboard_db GTest::gtest_main)
  add_dependencies(onboard_bench_integration_tests onboard-api onboard_bench_audit_fixture)
  onboard_add_suite_tests(onboard_bench_integration_tests integration
    "${ONBOARD_TEST_ENV};ONBOARD_BENCH_AUDIT_FIXTURE_BIN=$<TARGET_FILE:onboard_bench_audit_fixture>"
    ${ONBOARD_BENCH_INTEGRATION_SOURCES})
endif()

# unit: the export's hand-written formatting against the library code it replaced.
add_executable(onboard_bench_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/export_format_test.cpp)
target_link_libraries(onboard_bench_unit_tests PRIVATE onboard_domain GTest::gtest_main)
gtest_discover_tests(onboard_bench_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
