# Domain unit tests and the short fuzz run. Included by tests/CMakeLists.txt.
include(GoogleTest)

onboard_test_binary(domain_unit_tests LINK onboard_domain SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/client_metadata_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_validator_test.cpp ${CMAKE_CURRENT_LIST_DIR}/orgno_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stored_metadata_memo_test.cpp)

# Builds tests/fuzz as its own clang project and runs each fuzzer for 15 s (four targets,
# 60 s in all: client_metadata, json_request, certificate, jwt_assertion).
add_test(NAME fuzz_client_metadata_short
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/../fuzz/run_fuzzer.sh ${CMAKE_BINARY_DIR}/fuzz 15)
set_tests_properties(fuzz_client_metadata_short PROPERTIES LABELS fuzz TIMEOUT 900)
