# The courier re-checks a claimed row's delivery before sending (issue #5 follow-up): the
# real processes of the delivery rig (tests/courier_tests.cmake). Included after it.
# The cancellations are checked at a real webhook receiver (npm standardwebhooks).
onboard_test_binary(courier_revocation_tests LABEL e2e SUITES SERVICE LINK courier_e2e_support
  DEPENDS ${COURIER_RIG_PROGRAMS} ENV ${COURIER_E2E_ENV} ${ONBOARD_NODE_MODULES_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/delivery_revocation_test.cpp)
