# Enterprise certificates, bare JWKs and the provider API (issue #6). Included at the end of
# tests/CMakeLists.txt.

# The test PKI (roots, SEID 1/2 certificates with every defect, CRLs, signed JWTs).
add_library(onboard_pki_fixtures STATIC ${CMAKE_CURRENT_LIST_DIR}/support/pki_fixtures.cpp)
target_include_directories(onboard_pki_fixtures PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(onboard_pki_fixtures PUBLIC onboard_domain onboard_common)

# unit: certificate checks, JOSE, assertion and secret rules. One ctest per suite: the
# suite's PKI is generated once per process.
onboard_test_binary(provider_unit_tests SUITES LINK onboard_pki_fixtures onboard_domain
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/provider_auth_test.cpp)

# e2e: the real onboard-api over HTTP; the jose interop signs with var/node's `jose`.
onboard_test_binary(provider_e2e_tests LABEL e2e SUITES SERVICE E2E_HELPERS
  LINK onboard_pki_fixtures onboard_test_support SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/provider_test.cpp
  ENV ${ONBOARD_TEST_ENV} ONBOARD_JOSE_SIGN_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/oidc_library/jose_sign.js
  ${ONBOARD_NODE_MODULES_ENV})

# integration: the batched jti replay store against PostgreSQL.
onboard_test_binary(provider_integration_tests LABEL integration SUITES SERVICE
  LINK onboard_test_support onboard_db
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/replay_store_test.cpp)
