# The "test to production" slice: order and client state machines (unit), and the whole
# journey with its refusals plus the support lookup (e2e, the real onboard-api over HTTP).
# Included at the end of tests/CMakeLists.txt (after ONBOARD_TEST_ENV is set).

# unit: domain rules only, no network, no database.
add_executable(journey_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/production_order_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/client_state_test.cpp)
target_link_libraries(journey_unit_tests PRIVATE onboard_domain onboard_common GTest::gtest_main)
# The two state-machine tests have the same shape (S, T, kAllStates, LegalMoves, ...) in
# their anonymous namespaces, and a batch of two small files saves nothing: no unity build.
set_target_properties(journey_unit_tests PROPERTIES UNITY_BUILD OFF)
gtest_discover_tests(journey_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# e2e: each suite shares one throwaway database and one onboard-api (started in
# SetUpTestSuite). Registered as one ctest per suite (`e2e.ProductionJourney`,
# `e2e.SupportLookup`) through onboard_add_suite_tests from client_tests.cmake when it is
# there, because one ctest per test would start a database and a service per test (about
# 7 s each); otherwise one ctest per test.
set(JOURNEY_E2E_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/e2e/production_journey_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/support_lookup_test.cpp)
add_executable(journey_e2e_tests ${JOURNEY_E2E_SOURCES})
target_include_directories(journey_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(journey_e2e_tests PRIVATE onboard_test_support GTest::gtest_main)
add_dependencies(journey_e2e_tests onboard-api)
if(COMMAND onboard_add_suite_tests)
  onboard_add_suite_tests(journey_e2e_tests e2e "${ONBOARD_TEST_ENV}" ${JOURNEY_E2E_SOURCES})
else()
  gtest_discover_tests(journey_e2e_tests PROPERTIES LABELS e2e TIMEOUT 120
    ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
endif()
