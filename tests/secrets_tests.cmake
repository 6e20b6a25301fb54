# Client secrets and their delivery (issue #5). Included by tests/CMakeLists.txt after
# onboard_test_support and ONBOARD_TEST_ENV are defined.

# unit: envelope, key ring, secret/password generation, package contents, templates.
add_executable(onboard_secrets_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/envelope_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/secret_delivery_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/zip_pbkdf2_test.cpp)
target_link_libraries(onboard_secrets_unit_tests PRIVATE onboard_package onboard_domain onboard_common GTest::gtest_main)
gtest_discover_tests(onboard_secrets_unit_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)

# 7-Zip as the real peer of every zip a test produces.
add_library(onboard_secrets_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/sevenzip.cpp)
target_include_directories(onboard_secrets_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_secrets_test_support PUBLIC onboard_common Poco::Foundation GTest::gtest)

# integration: the issuing transaction, sealed columns, downloads, sweep (PostgreSQL + 7zz).
set(ONBOARD_SECRETS_INTEGRATION_SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/secret_issuance_test.cpp)
add_executable(onboard_secrets_integration_tests ${ONBOARD_SECRETS_INTEGRATION_SOURCES})
target_link_libraries(onboard_secrets_integration_tests PRIVATE onboard_secrets_test_support onboard_test_support
  onboard_db onboard_package GTest::gtest_main)
add_dependencies(onboard_secrets_integration_tests onboard-api)
onboard_add_suite_tests(onboard_secrets_integration_tests integration "${ONBOARD_TEST_ENV}"
  ${ONBOARD_SECRETS_INTEGRATION_SOURCES})

# e2e: the real onboard-api over HTTP, one service per suite, 7zz opening every zip.
set(ONBOARD_SECRETS_E2E_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/secrets_delivery_test.cpp)
add_executable(onboard_secrets_e2e_tests ${ONBOARD_SECRETS_E2E_SOURCES})
target_include_directories(onboard_secrets_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(onboard_secrets_e2e_tests PRIVATE onboard_secrets_test_support onboard_test_support onboard_db
  GTest::gtest_main)
add_dependencies(onboard_secrets_e2e_tests onboard-api)
onboard_add_suite_tests(onboard_secrets_e2e_tests e2e "${ONBOARD_TEST_ENV}" ${ONBOARD_SECRETS_E2E_SOURCES})
