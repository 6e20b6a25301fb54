# Delivery transport (issue #5, feat/courier): the Twilio signature, the courier's retry and
# SMS-state rules, its configuration (unit); the SMS client against Prism serving Twilio's
# OpenAPI document (integration); onboard-courier, onboard-dev-sms, aiosmtpd and onboard-api
# together (e2e and reliability). Included at the end of tests/CMakeLists.txt.

add_library(onboard_courier_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/child_process.cpp)
target_include_directories(onboard_courier_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_courier_test_support PUBLIC onboard_test_support)

add_executable(courier_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/twilio_signature_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/courier_domain_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/courier_config_test.cpp)
target_link_libraries(courier_unit_tests PRIVATE onboard_domain onboard_common GTest::gtest_main)
gtest_discover_tests(courier_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

set(COURIER_TEST_ENV
  "${ONBOARD_TEST_ENV};ONBOARD_SOURCE_DIR=${CMAKE_SOURCE_DIR};ONBOARD_PRISM_BIN=${CMAKE_SOURCE_DIR}/var/node/node_modules/.bin/prism")

set(COURIER_CONTRACT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/twilio_contract_test.cpp)
add_executable(courier_contract_tests ${COURIER_CONTRACT_SOURCES})
target_link_libraries(courier_contract_tests PRIVATE onboard_courier_transport onboard_courier_test_support GTest::gtest_main)
onboard_add_suite_tests(courier_contract_tests integration "${COURIER_TEST_ENV}" ${COURIER_CONTRACT_SOURCES})
