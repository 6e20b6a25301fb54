# Notifications and webhooks (issue #18): the rules and the reminder round with a moved clock
# (unit), and everything end to end with two APIs, two couriers, dev SMS, aiosmtpd and a
# Node.js receiver that verifies signatures with npm standardwebhooks (e2e). Included at the
# end of tests/CMakeLists.txt.

add_executable(notify_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/notification_test.cpp)
target_link_libraries(notify_unit_tests PRIVATE onboard_notify GTest::gtest_main)
gtest_discover_tests(notify_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

set(NOTIFY_E2E_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/notifications_test.cpp)
add_executable(notify_e2e_tests ${NOTIFY_E2E_SOURCES})
target_link_libraries(notify_e2e_tests PRIVATE courier_e2e_support onboard_pki_fixtures GTest::gtest_main)
add_dependencies(notify_e2e_tests onboard-api onboard-courier onboard-dev-sms)
onboard_add_suite_tests(notify_e2e_tests e2e
  "${COURIER_E2E_ENV};ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${NOTIFY_E2E_SOURCES})
set_tests_properties(e2e.Notifications PROPERTIES TIMEOUT 420)

# courier::WebhookSender against the real receiver (no database): signature, no redirects,
# 4 KiB, timeout, SSRF refusals by address and by resolved name.
set(WEBHOOK_SENDER_SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/webhook_sender_test.cpp)
add_executable(webhook_sender_tests ${WEBHOOK_SENDER_SOURCES})
target_include_directories(webhook_sender_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(webhook_sender_tests PRIVATE onboard_courier_transport
  onboard_courier_test_support GTest::gtest_main)
onboard_add_suite_tests(webhook_sender_tests integration
  "${COURIER_TEST_ENV};ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${WEBHOOK_SENDER_SOURCES})
