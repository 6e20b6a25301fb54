# Audit reporting (#7): exports, proof, checkpoints, retention, reports. Included at the end
# of tests/CMakeLists.txt (after onboard_test_support and ONBOARD_TEST_ENV exist).

# unit: CSV/JSON encoders, RFC 3339, checkpoint payloads and signatures, refusal counter.
onboard_test_binary(audit_unit_tests LINK onboard_domain onboard_common
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/audit_export_test.cpp)

# e2e: the real onboard-api over HTTP (and its CLI) on a throwaway database each suite.
# chromium (Debian package) renders the HTML report.
set(AUDIT_E2E_DIR ${CMAKE_CURRENT_LIST_DIR}/e2e/audit)
onboard_test_binary(audit_e2e_tests LABEL e2e SUITES SERVICE INCLUDE ${AUDIT_E2E_DIR}
  LINK onboard_test_support onboard_domain onboard_common EXTRA ${AUDIT_E2E_DIR}/audit_fixture.cpp
  SOURCES ${AUDIT_E2E_DIR}/audit_events_test.cpp ${AUDIT_E2E_DIR}/audit_export_large_test.cpp
  ${AUDIT_E2E_DIR}/audit_proof_test.cpp ${AUDIT_E2E_DIR}/audit_reports_test.cpp)
