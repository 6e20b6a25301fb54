# Verification catalogue and runs, test users and production readiness. Included at the
# end of tests/CMakeLists.txt (after ONBOARD_TEST_ENV is set).

# unit: domain rules only, no network, no database.
onboard_test_binary(verification_unit_tests LINK onboard_domain onboard_common
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/readiness_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/test_users_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/verification_catalogue_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/verification_run_test.cpp)

# e2e: the real onboard-api process against a throwaway database.
onboard_test_binary(verification_e2e_tests LABEL e2e SERVICE LINK onboard_test_support
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_catalogue_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_readiness_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_runs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_test_users_test.cpp)
