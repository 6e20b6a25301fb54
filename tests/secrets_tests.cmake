# Client secrets and their delivery (issue #5). Included by tests/CMakeLists.txt after
# onboard_test_support and ONBOARD_TEST_ENV are defined.

# unit: envelope, key ring, secret/password generation, package contents, templates.
onboard_test_binary(onboard_secrets_unit_tests LINK onboard_package onboard_domain onboard_common
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/envelope_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/secret_delivery_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/zip_pbkdf2_test.cpp)

# 7-Zip as the real peer of every zip a test produces.
add_library(onboard_secrets_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/sevenzip.cpp)
target_include_directories(onboard_secrets_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_secrets_test_support PUBLIC onboard_common Poco::Foundation GTest::gtest)

# integration: the issuing transaction, sealed columns, downloads, sweep (PostgreSQL + 7zz).
onboard_test_binary(onboard_secrets_integration_tests LABEL integration SUITES SERVICE
  LINK onboard_secrets_test_support onboard_test_support onboard_db onboard_package
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/secret_issuance_test.cpp)

# e2e: the real onboard-api over HTTP, one service per suite, 7zz opening every zip.
onboard_test_binary(onboard_secrets_e2e_tests LABEL e2e SUITES SERVICE
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/e2e
  LINK onboard_secrets_test_support onboard_test_support onboard_db
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/secrets_delivery_test.cpp)
