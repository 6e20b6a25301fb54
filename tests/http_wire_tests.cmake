# The server's own HTTP/1.1 reader and writer (services/api/server/wire.hpp): unit tests over
# socket pairs, no network and no database.
add_executable(onboard_http_wire_tests ${CMAKE_CURRENT_LIST_DIR}/unit/http_wire_test.cpp)
target_link_libraries(onboard_http_wire_tests PRIVATE onboard_http GTest::gtest_main)
gtest_discover_tests(onboard_http_wire_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# e2e: the same behaviour through the real onboard-api on a real port.
add_executable(onboard_http_wire_e2e_tests ${CMAKE_CURRENT_LIST_DIR}/e2e/http_wire_e2e_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(onboard_http_wire_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(onboard_http_wire_e2e_tests PRIVATE onboard_test_support onboard_http GTest::gtest_main)
add_dependencies(onboard_http_wire_e2e_tests onboard-api)
gtest_discover_tests(onboard_http_wire_e2e_tests PROPERTIES LABELS e2e FIXTURES_REQUIRED onboard_suite
  ENVIRONMENT "${ONBOARD_TEST_ENV}" DISCOVERY_TIMEOUT 30)
