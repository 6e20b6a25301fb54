# Issue #8 (feat/rel): scale-out, API crash and dependency outages under load: several
# onboard-api and onboard-courier processes with onboard-dev-sms and aiosmtpd (the delivery
# rig of tests/e2e). Label reliability; one ctest per suite. Included after
# courier_tests.cmake (courier_e2e_support, COURIER_E2E_ENV).

set(ONBOARD_RELIABILITY_LOAD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/reliability/scale_out_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reliability/api_crash_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reliability/dependencies_under_load_test.cpp)
add_executable(onboard_reliability_load_tests
  ${CMAKE_CURRENT_LIST_DIR}/reliability/issuance_load.cpp
  ${ONBOARD_RELIABILITY_LOAD_SOURCES})
target_include_directories(onboard_reliability_load_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/reliability)
target_link_libraries(onboard_reliability_load_tests PRIVATE courier_e2e_support onboard_secrets_test_support
  GTest::gtest_main)
add_dependencies(onboard_reliability_load_tests onboard-api onboard-courier onboard-dev-sms)
onboard_add_suite_tests(onboard_reliability_load_tests reliability "${COURIER_E2E_ENV}"
  ${ONBOARD_RELIABILITY_LOAD_SOURCES})
# The final secrets scan (fixture onboard_suite's cleanup) runs after these too.
set_tests_properties(reliability.ScaleOut reliability.ApiCrash reliability.DependenciesUnderLoad PROPERTIES
  FIXTURES_REQUIRED onboard_suite)
