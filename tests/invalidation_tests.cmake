# Cross-instance invalidation over LISTEN/NOTIFY (issue #19): two onboard-api processes.
add_executable(onboard_invalidation_tests
  ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reliability/invalidation_test.cpp)
target_include_directories(onboard_invalidation_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(onboard_invalidation_tests PRIVATE onboard_test_support onboard_http
  GTest::gtest_main)
add_dependencies(onboard_invalidation_tests onboard-api)
gtest_discover_tests(onboard_invalidation_tests PROPERTIES LABELS reliability
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
