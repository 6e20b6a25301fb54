# The courier re-checks a claimed row's delivery before sending (issue #5 follow-up): the
# real processes of the delivery rig (tests/courier_tests.cmake). Included after it.
set(COURIER_REVOCATION_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/delivery_revocation_test.cpp)
add_executable(courier_revocation_tests ${COURIER_REVOCATION_SOURCES})
target_link_libraries(courier_revocation_tests PRIVATE courier_e2e_support GTest::gtest_main)
add_dependencies(courier_revocation_tests onboard-api onboard-courier onboard-dev-sms)
# The cancellations are checked at a real webhook receiver (npm standardwebhooks).
onboard_add_suite_tests(courier_revocation_tests e2e
  "${COURIER_E2E_ENV};ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${COURIER_REVOCATION_SOURCES})
