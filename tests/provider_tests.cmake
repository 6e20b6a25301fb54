# Enterprise certificates, bare JWKs and the provider API (issue #6). Included at the end of
# tests/CMakeLists.txt (after client_tests.cmake, whose onboard_add_suite_tests it uses).

# The test PKI (roots, SEID 1/2 certificates with every defect, CRLs, signed JWTs).
add_library(onboard_pki_fixtures STATIC ${CMAKE_CURRENT_LIST_DIR}/support/pki_fixtures.cpp)
target_include_directories(onboard_pki_fixtures PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_pki_fixtures PUBLIC onboard_domain onboard_common)

# unit: certificate checks, JOSE, assertion and secret rules. One ctest per suite: the
# suite's PKI is generated once per process.
set(PROVIDER_UNIT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/provider_auth_test.cpp)
add_executable(provider_unit_tests ${PROVIDER_UNIT_SOURCES})
target_link_libraries(provider_unit_tests PRIVATE onboard_pki_fixtures onboard_domain GTest::gtest_main)
onboard_add_suite_tests(provider_unit_tests unit "" ${PROVIDER_UNIT_SOURCES})

# e2e: the real onboard-api over HTTP; the jose interop signs with var/node's `jose`.
set(PROVIDER_E2E_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/provider_test.cpp)
add_executable(provider_e2e_tests ${PROVIDER_E2E_SOURCES} ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(provider_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e)
target_link_libraries(provider_e2e_tests PRIVATE onboard_pki_fixtures onboard_test_support GTest::gtest_main)
add_dependencies(provider_e2e_tests onboard-api)
onboard_add_suite_tests(provider_e2e_tests e2e
  "${ONBOARD_TEST_ENV};ONBOARD_JOSE_SIGN_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/oidc_library/jose_sign.js;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${PROVIDER_E2E_SOURCES})

# integration: the batched jti replay store against PostgreSQL.
set(PROVIDER_INTEGRATION_SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/replay_store_test.cpp)
add_executable(provider_integration_tests ${PROVIDER_INTEGRATION_SOURCES})
target_link_libraries(provider_integration_tests PRIVATE onboard_test_support onboard_db GTest::gtest_main)
add_dependencies(provider_integration_tests onboard-api)
onboard_add_suite_tests(provider_integration_tests integration "${ONBOARD_TEST_ENV}" ${PROVIDER_INTEGRATION_SOURCES})
