# Verification catalogue and runs, test users and production readiness. Included at the
# end of tests/CMakeLists.txt (after ONBOARD_TEST_ENV is set).

# unit: domain rules only, no network, no database.
add_executable(verification_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/readiness_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/test_users_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/verification_catalogue_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/verification_run_test.cpp)
target_include_directories(verification_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit)
target_link_libraries(verification_unit_tests PRIVATE onboard_domain onboard_common GTest::gtest_main)
gtest_discover_tests(verification_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# e2e: the real onboard-api process against a throwaway database.
add_executable(verification_e2e_tests
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_catalogue_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_readiness_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_runs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/verification_test_users_test.cpp)
target_link_libraries(verification_e2e_tests PRIVATE onboard_test_support GTest::gtest_main)
add_dependencies(verification_e2e_tests onboard-api)
gtest_discover_tests(verification_e2e_tests PROPERTIES LABELS e2e
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
