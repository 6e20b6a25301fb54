# The server's own HTTP/1.1 reader and writer (services/api/server/wire.hpp): unit tests over
# socket pairs, no network and no database; and the same behaviour through the real
# onboard-api on a real port (e2e).
onboard_test_binary(onboard_http_wire_tests LINK onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/http_wire_test.cpp)
onboard_test_binary(onboard_http_wire_e2e_tests LABEL e2e SERVICE E2E_HELPERS SUITE_FIXTURE
  LINK onboard_test_support onboard_http SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/http_wire_e2e_test.cpp)
