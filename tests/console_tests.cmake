# The operator console (issue #16): sessions over HTTP (e2e), the console's bundle and the
# browser tests. Included by tests/CMakeLists.txt after onboard_test_support,
# ONBOARD_TEST_ENV and courier_e2e_support are defined.

onboard_test_binary(onboard_session_e2e_tests LABEL e2e SUITES SERVICE E2E_HELPERS
  LINK onboard_test_support onboard_common SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/sessions_test.cpp)

# The session use case's unit tests (tests/unit/usecases/sessions_test.cpp) run in
# onboard_usecase_tests (tests/usecase_tests.cmake picks up that folder).

# The console's files served by onboard-api (e2e) and the browser tests (label browser):
# tests/browser/run.mjs scenarios in node with the pinned puppeteer-core and axe-core
# (var/node) driving the Debian chromium. Screenshots and figures: build/browser-evidence/.
set(ONBOARD_CONSOLE_TEST_ENV
  "${ONBOARD_TEST_ENV};ONBOARD_CONSOLE_DIST=${CMAKE_BINARY_DIR}/console/dist;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules;ONBOARD_BROWSER_JS=${CMAKE_CURRENT_LIST_DIR}/browser/run.mjs;ONBOARD_BROWSER_EVIDENCE_ROOT=${CMAKE_BINARY_DIR}/browser-evidence;ONBOARD_COURIER_BIN=$<TARGET_FILE:onboard-courier>;ONBOARD_DEV_SMS_BIN=$<TARGET_FILE:onboard-dev-sms>")
add_library(onboard_browser_rig STATIC ${CMAKE_CURRENT_LIST_DIR}/e2e/console/browser_rig.cpp)
target_include_directories(onboard_browser_rig PUBLIC ${CMAKE_CURRENT_LIST_DIR}/e2e/console)
target_link_libraries(onboard_browser_rig PUBLIC onboard_test_support GTest::gtest)

onboard_test_binary(onboard_console_assets_tests LABEL e2e SUITES SERVICE E2E_HELPERS
  LINK onboard_browser_rig onboard_test_support onboard_common DEPENDS onboard_console
  ENV ${ONBOARD_CONSOLE_TEST_ENV} SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/console/assets_test.cpp)

onboard_test_binary(onboard_browser_tests LABEL browser SUITES SERVICE E2E_HELPERS
  LINK onboard_browser_rig courier_e2e_support onboard_test_support onboard_common
  DEPENDS onboard-courier onboard-dev-sms onboard_console ENV ${ONBOARD_CONSOLE_TEST_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/console/browser_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/console/orders_browser_test.cpp)
# The journey, the 1,000-order queue and the page suites take longer than the default 180 s
# on a busy machine.
set_tests_properties(browser.BrowserDelivery browser.BrowserQueue browser.BrowserPages
  browser.BrowserRecords PROPERTIES TIMEOUT 600)

# The 1,000-order queue's budget (interactive within 1 s) is a latency on a quiet machine:
# run beside another test (ctest -j2 put it next to the fuzzers' clang build) it measured
# 1,171 ms, alone 462 ms. It runs alone.
set_tests_properties(browser.BrowserQueue PROPERTIES RUN_SERIAL TRUE)
