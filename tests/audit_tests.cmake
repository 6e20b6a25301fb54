# Audit reporting (#7): exports, proof, checkpoints, retention, reports. Included at the end
# of tests/CMakeLists.txt (after onboard_test_support, ONBOARD_TEST_ENV and
# onboard_add_suite_tests from client_tests.cmake exist).

# unit: CSV/JSON encoders, RFC 3339, checkpoint payloads and signatures, refusal counter.
add_executable(audit_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/audit_export_test.cpp)
target_link_libraries(audit_unit_tests PRIVATE onboard_domain onboard_common GTest::gtest_main)
gtest_discover_tests(audit_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# e2e: the real onboard-api over HTTP (and its CLI) on a throwaway database each suite.
# chromium (Debian package) renders the HTML report.
set(AUDIT_E2E_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/e2e/audit/audit_events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/audit/audit_export_large_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/audit/audit_proof_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/audit/audit_reports_test.cpp)
add_executable(audit_e2e_tests ${AUDIT_E2E_SOURCES} ${CMAKE_CURRENT_LIST_DIR}/e2e/audit/audit_fixture.cpp)
target_include_directories(audit_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e/audit)
target_link_libraries(audit_e2e_tests PRIVATE onboard_test_support onboard_domain onboard_common GTest::gtest_main)
add_dependencies(audit_e2e_tests onboard-api)
onboard_add_suite_tests(audit_e2e_tests e2e "${ONBOARD_TEST_ENV}" ${AUDIT_E2E_SOURCES})
