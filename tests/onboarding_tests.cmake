# Onboarding cases and terms of use: unit, integration and e2e tests. Included by
# tests/CMakeLists.txt after the onboard_test_support target and ONBOARD_TEST_ENV exist.

# unit: the planning-complete rule, case and terms validation, the linking and
# acceptance rules. Domain code only: no network, no database.
add_executable(onboarding_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/onboarding_test.cpp)
target_link_libraries(onboarding_unit_tests PRIVATE onboard_domain GTest::gtest_main)
gtest_discover_tests(onboarding_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# unit: the HTTP codecs of cases and terms, and their routes against docs/openapi.json.
add_executable(onboarding_http_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/onboarding_http_test.cpp)
target_link_libraries(onboarding_http_unit_tests PRIVATE onboard_http GTest::gtest_main)
gtest_discover_tests(onboarding_http_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# integration: the repositories against a real PostgreSQL (ONBOARD_TEST_ADMIN_URL).
add_executable(onboarding_integration_tests ${CMAKE_CURRENT_LIST_DIR}/integration/onboarding_repository_test.cpp)
target_link_libraries(onboarding_integration_tests PRIVATE onboard_test_support onboard_db GTest::gtest_main)
add_dependencies(onboarding_integration_tests onboard-api)
gtest_discover_tests(onboarding_integration_tests PROPERTIES LABELS integration
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)

# e2e: the real onboard-api process driven over HTTP.
add_executable(onboarding_e2e_tests ${CMAKE_CURRENT_LIST_DIR}/e2e/onboarding_api_test.cpp)
target_link_libraries(onboarding_e2e_tests PRIVATE onboard_test_support GTest::gtest_main)
add_dependencies(onboarding_e2e_tests onboard-api)
gtest_discover_tests(onboarding_e2e_tests PROPERTIES LABELS e2e
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
