# The HTTP server target (services/api/server/, onboard_http_server) on its own: unit tests
# that link it without the handlers, the router or the database.
onboard_test_binary(onboard_http_server_tests LINK onboard_http_server
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/problem_test.cpp)

# The real onboard-api with two workers and hundreds of idle keep-alive connections
# (label reliability).
onboard_test_binary(onboard_connections_tests LABEL reliability SERVICE E2E_HELPERS SUITE_FIXTURE
  LINK onboard_test_support onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/reliability/connections_test.cpp)
