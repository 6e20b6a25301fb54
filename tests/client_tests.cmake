# Client lifecycle and RFC 7591/7592 registration tests. Included by tests/CMakeLists.txt
# after onboard_test_support and ONBOARD_TEST_ENV are defined.
#
# integration: db::ClientRepository against PostgreSQL.
# e2e: the real onboard-api over HTTP.
# One ctest per suite (onboard_add_suite_tests, tests/CMakeLists.txt): `<label>.<Suite>`.
onboard_test_binary(onboard_client_integration_tests LABEL integration SUITES SERVICE
  LINK onboard_test_support onboard_db
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/client_repository_test.cpp)

# The openid-client interop test runs tests/e2e/oidc_library/register.js with node and the
# packages installed into var/node (git-ignored) by the install script.
onboard_test_binary(onboard_client_e2e_tests LABEL e2e SUITES SERVICE
  LINK onboard_test_support onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/client_http_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/client_scoping_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/registration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/registration_oidc_library_test.cpp
  ENV ${ONBOARD_TEST_ENV}
  ONBOARD_OIDC_REGISTER_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/oidc_library/register.js
  ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules)
