# The "test to production" slice: order and client state machines (unit), and the whole
# journey with its refusals plus the support lookup (e2e, the real onboard-api over HTTP).
# Included at the end of tests/CMakeLists.txt (after ONBOARD_TEST_ENV is set).

# unit: domain rules only, no network, no database. The two state-machine tests have the
# same shape (S, T, Table, ...) in their anonymous namespaces, and a batch of two small files
# saves nothing: no unity build.
onboard_test_binary(journey_unit_tests LINK onboard_domain onboard_common
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/production_order_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/client_state_test.cpp)
set_target_properties(journey_unit_tests PROPERTIES UNITY_BUILD OFF)

# e2e: each suite shares one throwaway database and one onboard-api (started in
# SetUpTestSuite), registered as one ctest per suite (`e2e.ProductionJourney`,
# `e2e.SupportLookup`): one ctest per test would start a database and a service per test
# (about 7 s each).
onboard_test_binary(journey_e2e_tests LABEL e2e SUITES SERVICE LINK onboard_test_support
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/production_journey_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/support_lookup_test.cpp)
