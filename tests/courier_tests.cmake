# Delivery transport (issue #5, feat/courier): the Twilio signature, the courier's retry and
# SMS-state rules, its configuration (unit); the SMS client against Prism serving Twilio's
# OpenAPI document (integration); onboard-courier, onboard-dev-sms, aiosmtpd and onboard-api
# together (e2e and reliability). Included at the end of tests/CMakeLists.txt.

add_library(onboard_courier_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/child_process.cpp)
target_include_directories(onboard_courier_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_courier_test_support PUBLIC onboard_test_support)

onboard_test_binary(courier_unit_tests LINK onboard_courier_transport SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/unit/twilio_signature_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/courier_domain_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/courier_config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/twilio_client_test.cpp)

set(COURIER_TEST_ENV
  "${ONBOARD_TEST_ENV};ONBOARD_SOURCE_DIR=${CMAKE_SOURCE_DIR};ONBOARD_PRISM_BIN=${CMAKE_SOURCE_DIR}/var/node/node_modules/.bin/prism")

onboard_test_binary(courier_contract_tests LABEL integration SUITES
  LINK onboard_courier_transport onboard_courier_test_support ENV ${COURIER_TEST_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/twilio_contract_test.cpp)

# e2e (callbacks) and reliability (faults): real processes, one rig per suite.
set(COURIER_E2E_ENV
  "${COURIER_TEST_ENV};ONBOARD_COURIER_BIN=$<TARGET_FILE:onboard-courier>;ONBOARD_DEV_SMS_BIN=$<TARGET_FILE:onboard-dev-sms>")
add_library(courier_e2e_support STATIC ${CMAKE_CURRENT_LIST_DIR}/e2e/delivery_rig.cpp)
target_include_directories(courier_e2e_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(courier_e2e_support PUBLIC onboard_courier_test_support onboard_test_support onboard_common
  Poco::Net GTest::gtest)

# The programs of the delivery rig besides onboard-api.
set(COURIER_RIG_PROGRAMS onboard-courier onboard-dev-sms)

# sms_callback_test checks one event type at a real webhook receiver (npm standardwebhooks).
onboard_test_binary(courier_e2e_tests LABEL e2e SUITES SERVICE LINK courier_e2e_support
  DEPENDS ${COURIER_RIG_PROGRAMS} ENV ${COURIER_E2E_ENV} ${ONBOARD_NODE_MODULES_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/sms_callback_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/delivery_journey_test.cpp)

onboard_test_binary(courier_reliability_tests LABEL reliability SUITES SERVICE
  LINK courier_e2e_support DEPENDS ${COURIER_RIG_PROGRAMS} ENV ${COURIER_E2E_ENV}
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/delivery_reliability_test.cpp)
