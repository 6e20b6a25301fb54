# The HTTP server target (services/api/server/, onboard_http_server) on its own: unit tests
# that link it without the handlers, the router or the database.
add_executable(onboard_http_server_tests ${CMAKE_CURRENT_LIST_DIR}/unit/problem_test.cpp)
target_link_libraries(onboard_http_server_tests PRIVATE onboard_http_server GTest::gtest_main)
gtest_discover_tests(onboard_http_server_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# The real onboard-api with two workers and hundreds of idle keep-alive connections
# (label reliability).
add_executable(onboard_connections_tests ${CMAKE_CURRENT_LIST_DIR}/reliability/connections_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(onboard_connections_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(onboard_connections_tests PRIVATE onboard_test_support onboard_http GTest::gtest_main)
add_dependencies(onboard_connections_tests onboard-api)
gtest_discover_tests(onboard_connections_tests PROPERTIES LABELS reliability FIXTURES_REQUIRED onboard_suite
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
