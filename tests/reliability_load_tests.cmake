# Issue #8 (feat/rel): scale-out, API crash and dependency outages under load: several
# onboard-api and onboard-courier processes with onboard-dev-sms and aiosmtpd (the delivery
# rig of tests/e2e). Label reliability; one ctest per suite. Included after
# courier_tests.cmake (courier_e2e_support, COURIER_E2E_ENV).

set(RELIABILITY_DIR ${CMAKE_CURRENT_LIST_DIR}/reliability)
onboard_test_binary(onboard_reliability_load_tests LABEL reliability SUITES SERVICE
  INCLUDE ${RELIABILITY_DIR} LINK courier_e2e_support onboard_secrets_test_support
  DEPENDS ${COURIER_RIG_PROGRAMS} ENV ${COURIER_E2E_ENV} EXTRA ${RELIABILITY_DIR}/issuance_load.cpp
  SOURCES ${RELIABILITY_DIR}/scale_out_test.cpp ${RELIABILITY_DIR}/api_crash_test.cpp
  ${RELIABILITY_DIR}/dependencies_under_load_test.cpp)
# The final secrets scan (fixture onboard_suite's cleanup) runs after these too.
set_tests_properties(reliability.ScaleOut reliability.ApiCrash reliability.DependenciesUnderLoad PROPERTIES
  FIXTURES_REQUIRED onboard_suite)
