# Onboarding cases and terms of use: unit, integration and e2e tests. Included by
# tests/CMakeLists.txt after the onboard_test_support target and ONBOARD_TEST_ENV exist.

# unit: the planning-complete rule, case and terms validation, the linking and
# acceptance rules. Domain code only: no network, no database.
onboard_test_binary(onboarding_unit_tests LINK onboard_domain
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/onboarding_test.cpp)

# unit: the HTTP codecs of cases and terms, and their routes against docs/openapi.json.
onboard_test_binary(onboarding_http_unit_tests LINK onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/onboarding_http_test.cpp)

# integration: the repositories against a real PostgreSQL (ONBOARD_TEST_ADMIN_URL).
onboard_test_binary(onboarding_integration_tests LABEL integration SERVICE
  LINK onboard_test_support onboard_db
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/onboarding_repository_test.cpp)

# e2e: the real onboard-api process driven over HTTP.
onboard_test_binary(onboarding_e2e_tests LABEL e2e SERVICE LINK onboard_test_support
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/onboarding_api_test.cpp)
