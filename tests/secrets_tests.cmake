# Client secrets and their delivery (issue #5). Included by tests/CMakeLists.txt after
# onboard_test_support and ONBOARD_TEST_ENV are defined.

# unit: envelope, key ring, secret/password generation, package contents, templates.
add_executable(onboard_secrets_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/envelope_test.cpp)
target_link_libraries(onboard_secrets_unit_tests PRIVATE onboard_http GTest::gtest_main)
gtest_discover_tests(onboard_secrets_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
