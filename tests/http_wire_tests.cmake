# The server's own HTTP/1.1 reader and writer (services/api/http/wire.hpp): unit tests over
# socket pairs, no network and no database.
add_executable(onboard_http_wire_tests ${CMAKE_CURRENT_LIST_DIR}/unit/http_wire_test.cpp)
target_link_libraries(onboard_http_wire_tests PRIVATE onboard_http GTest::gtest_main)
gtest_discover_tests(onboard_http_wire_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
