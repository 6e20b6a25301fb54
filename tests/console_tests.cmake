# The operator console (issue #16): sessions over HTTP (e2e), the console's bundle and the
# browser tests. Included by tests/CMakeLists.txt after onboard_test_support,
# ONBOARD_TEST_ENV and onboard_add_suite_tests are defined.

set(ONBOARD_SESSION_E2E_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/sessions_test.cpp)
add_executable(onboard_session_e2e_tests ${ONBOARD_SESSION_E2E_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(onboard_session_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(onboard_session_e2e_tests PRIVATE onboard_test_support onboard_common
  GTest::gtest_main)
add_dependencies(onboard_session_e2e_tests onboard-api)
onboard_add_suite_tests(onboard_session_e2e_tests e2e "${ONBOARD_TEST_ENV}"
  ${ONBOARD_SESSION_E2E_SOURCES})

# The session use case's unit tests (tests/unit/usecases/sessions_test.cpp) run in
# onboard_usecase_tests (tests/usecase_tests.cmake picks up that folder).
