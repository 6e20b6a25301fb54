# Notifications and webhooks (issue #18): the rules and the reminder round with a moved clock
# (unit), and everything end to end with two APIs, two couriers, dev SMS, aiosmtpd and a
# Node.js receiver that verifies signatures with npm standardwebhooks (e2e). Included at the
# end of tests/CMakeLists.txt.

onboard_test_binary(notify_unit_tests LINK onboard_notify
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/notification_test.cpp)

onboard_test_binary(notify_e2e_tests LABEL e2e SUITES SERVICE
  LINK courier_e2e_support onboard_pki_fixtures DEPENDS ${COURIER_RIG_PROGRAMS}
  ENV ${COURIER_E2E_ENV} ${ONBOARD_NODE_MODULES_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/notifications_test.cpp)
set_tests_properties(e2e.Notifications PROPERTIES TIMEOUT 420)

# courier::WebhookSender against the real receiver (no database): signature, no redirects,
# 4 KiB, timeout, SSRF refusals by address and by resolved name.
onboard_test_binary(webhook_sender_tests LABEL integration SUITES
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/e2e LINK onboard_courier_transport onboard_courier_test_support
  ENV ${COURIER_TEST_ENV} ${ONBOARD_NODE_MODULES_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/webhook_sender_test.cpp)
