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
