# Issue #20: database failover. A primary and a synchronous hot standby (PostgreSQL
# streaming replication) made by tests/reliability/failover_cluster.sh, which runs the test
# binary against both through libpq's multi-host URL (target_session_attrs=read-write) and
# stops the primary / promotes the standby when the test asks. Label reliability.

add_executable(onboard_failover_tests
  ${CMAKE_CURRENT_LIST_DIR}/reliability/issuance_load.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reliability/failover_test.cpp)
target_include_directories(onboard_failover_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/reliability)
target_link_libraries(onboard_failover_tests PRIVATE courier_e2e_support onboard_secrets_test_support
  GTest::gtest_main)
add_dependencies(onboard_failover_tests onboard-api onboard-courier onboard-dev-sms)
add_test(NAME reliability.Failover
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/reliability/failover_cluster.sh
    $<TARGET_FILE:onboard_failover_tests>)
set_tests_properties(reliability.Failover PROPERTIES LABELS reliability TIMEOUT 420
  ENVIRONMENT "${COURIER_E2E_ENV}" FIXTURES_REQUIRED onboard_suite)
