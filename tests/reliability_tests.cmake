# Issue #8: configuration strictness (unit) and the reliability suite (label reliability).

add_executable(onboard_config_keys_tests unit/config_keys_test.cpp)
target_link_libraries(onboard_config_keys_tests PRIVATE onboard_common GTest::gtest_main)
target_compile_definitions(onboard_config_keys_tests PRIVATE ONBOARD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(onboard_config_keys_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# Backup and restore (ops/db-backup) into a fresh cluster, audit chain verified.
add_test(NAME Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/reliability/backup_restore_test.sh)
set_tests_properties(Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain PROPERTIES
  LABELS reliability TIMEOUT 180 ENVIRONMENT "${ONBOARD_TEST_ENV}")

# The real onboard-api under faults and bad input.
add_executable(onboard_reliability_tests
  e2e/e2e_helpers.cpp
  reliability/bad_input_test.cpp
  reliability/database_restart_test.cpp
  reliability/http_limits_test.cpp)
target_include_directories(onboard_reliability_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/e2e)
target_link_libraries(onboard_reliability_tests PRIVATE onboard_test_support onboard_http GTest::gtest_main)
add_dependencies(onboard_reliability_tests onboard-api)
gtest_discover_tests(onboard_reliability_tests PROPERTIES LABELS reliability FIXTURES_REQUIRED onboard_suite
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)

# The final secrets scan over what the suite left (tests/support/evidence.hpp). ops/test
# runs it in a second ctest pass after the whole suite; inside one ctest run it is the
# cleanup of fixture onboard_suite, which every test of this file requires.
add_test(NAME Secrets.TheSuiteLeftNoPlaintextSecretInAnyLogOrTable
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/secrets_scan.py)
set_tests_properties(Secrets.TheSuiteLeftNoPlaintextSecretInAnyLogOrTable PROPERTIES
  LABELS secrets-scan FIXTURES_CLEANUP onboard_suite TIMEOUT 300)
set_tests_properties(Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain PROPERTIES
  FIXTURES_REQUIRED onboard_suite)
