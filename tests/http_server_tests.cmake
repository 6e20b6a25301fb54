# The HTTP server target (services/api/server/, onboard_http_server) on its own: unit tests
# that link it without the handlers, the router or the database.
add_executable(onboard_http_server_tests ${CMAKE_CURRENT_LIST_DIR}/unit/problem_test.cpp)
target_link_libraries(onboard_http_server_tests PRIVATE onboard_http_server GTest::gtest_main)
gtest_discover_tests(onboard_http_server_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
