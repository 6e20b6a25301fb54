# Domain unit tests and the short fuzz run. Included by tests/CMakeLists.txt.
include(GoogleTest)

add_executable(domain_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/client_metadata_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_validator_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orgno_test.cpp
)
target_link_libraries(domain_unit_tests PRIVATE onboard_domain GTest::gtest_main)
gtest_discover_tests(domain_unit_tests PROPERTIES LABELS unit)

# Builds tests/fuzz as its own clang project and runs each fuzzer for 15 s (four targets,
# 60 s in all: client_metadata, json_request, certificate, jwt_assertion).
add_test(NAME fuzz_client_metadata_short
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/../fuzz/run_fuzzer.sh ${CMAKE_BINARY_DIR}/fuzz 15)
set_tests_properties(fuzz_client_metadata_short PROPERTIES LABELS fuzz TIMEOUT 900)
