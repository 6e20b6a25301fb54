# Issue #8: configuration strictness (unit) and the reliability suite (label reliability).

onboard_test_binary(onboard_config_keys_tests LINK onboard_common SOURCES unit/config_keys_test.cpp)
target_compile_definitions(onboard_config_keys_tests PRIVATE ONBOARD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Backup and restore (ops/db-backup) into a fresh cluster, audit chain verified.
add_test(NAME Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/reliability/backup_restore_test.sh)
set_tests_properties(Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain PROPERTIES
  LABELS reliability TIMEOUT 180 ENVIRONMENT "${ONBOARD_TEST_ENV}")

# The real onboard-api under faults and bad input.
onboard_test_binary(onboard_reliability_tests LABEL reliability SERVICE E2E_HELPERS SUITE_FIXTURE
  LINK onboard_test_support onboard_http SOURCES reliability/bad_input_test.cpp
  reliability/database_restart_test.cpp reliability/http_limits_test.cpp)

# The final secrets scan over what the suite left (tests/support/evidence.hpp). ops/test
# runs it in a second ctest pass after the whole suite; inside one ctest run it is the
# cleanup of fixture onboard_suite, which every test of this file requires.
add_test(NAME Secrets.TheSuiteLeftNoPlaintextSecretInAnyLogOrTable
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/secrets_scan.py)
set_tests_properties(Secrets.TheSuiteLeftNoPlaintextSecretInAnyLogOrTable PROPERTIES
  LABELS secrets-scan FIXTURES_CLEANUP onboard_suite TIMEOUT 300)
set_tests_properties(Reliability.BackupRestoresIntoAFreshClusterWithAnIntactAuditChain PROPERTIES
  FIXTURES_REQUIRED onboard_suite)
