# Identity (issue #17): JWT access tokens of API callers, the provider's self-service API
# shape, and OpenID Connect sign-in for operators. Included at the end of
# tests/CMakeLists.txt (it uses onboard_add_suite_tests and onboard_pki_fixtures).

set(IDENTITY_UNIT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/access_token_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/oidc_relying_party_test.cpp)
add_executable(identity_unit_tests ${IDENTITY_UNIT_SOURCES})
target_link_libraries(identity_unit_tests PRIVATE onboard_pki_fixtures onboard_domain GTest::gtest_main)
onboard_add_suite_tests(identity_unit_tests unit "" ${IDENTITY_UNIT_SOURCES})

# e2e: the real onboard-api with a real OpenID provider (npm oidc-provider from var/node)
# and tokens minted by npm jose.
set(IDENTITY_E2E_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/access_token_http_test.cpp)
add_executable(identity_e2e_tests ${IDENTITY_E2E_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(identity_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e ${CMAKE_CURRENT_LIST_DIR}/e2e/identity)
target_link_libraries(identity_e2e_tests PRIVATE onboard_pki_fixtures onboard_courier_test_support
  onboard_test_support onboard_http GTest::gtest_main)
add_dependencies(identity_e2e_tests onboard-api)
onboard_add_suite_tests(identity_e2e_tests e2e
  "${ONBOARD_TEST_ENV};ONBOARD_IDP_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/provider.mjs;ONBOARD_JOSE_MINT_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/mint.js;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${IDENTITY_E2E_SOURCES})

# Operators' OpenID Connect sign-in: the real provider (login driven by oidc_login.mjs; its
# token answers altered through POST /_tamper for the ID-token checks).
set(IDENTITY_OIDC_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_sign_in_test.cpp)
add_executable(identity_oidc_tests ${IDENTITY_OIDC_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(identity_oidc_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e ${CMAKE_CURRENT_LIST_DIR}/e2e/identity)
target_link_libraries(identity_oidc_tests PRIVATE onboard_pki_fixtures onboard_courier_test_support
  onboard_test_support GTest::gtest_main)
add_dependencies(identity_oidc_tests onboard-api)
onboard_add_suite_tests(identity_oidc_tests e2e
  "${ONBOARD_TEST_ENV};ONBOARD_IDP_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/provider.mjs;ONBOARD_JOSE_MINT_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/mint.js;ONBOARD_OIDC_LOGIN_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_login.mjs;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${IDENTITY_OIDC_SOURCES})

# The provider's self-service API shape (/clients) with the provider's access tokens.
set(IDENTITY_SELF_SERVICE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/self_service_test.cpp)
add_executable(identity_self_service_tests ${IDENTITY_SELF_SERVICE_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(identity_self_service_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e ${CMAKE_CURRENT_LIST_DIR}/e2e/identity)
target_link_libraries(identity_self_service_tests PRIVATE onboard_pki_fixtures onboard_courier_test_support
  onboard_test_support GTest::gtest_main)
add_dependencies(identity_self_service_tests onboard-api)
onboard_add_suite_tests(identity_self_service_tests e2e
  "${ONBOARD_TEST_ENV};ONBOARD_IDP_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/provider.mjs;ONBOARD_JOSE_MINT_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/mint.js;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${IDENTITY_SELF_SERVICE_SOURCES})

# Single sign-on in a real browser (label browser): Debian's chromium driven by the pinned
# puppeteer-core (oidc_browser.mjs) through oidc-provider's login and consent pages.
set(IDENTITY_BROWSER_SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_browser_test.cpp)
add_executable(identity_browser_tests ${IDENTITY_BROWSER_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_helpers.cpp)
target_include_directories(identity_browser_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/e2e ${CMAKE_CURRENT_LIST_DIR}/e2e/identity)
target_link_libraries(identity_browser_tests PRIVATE onboard_pki_fixtures onboard_courier_test_support
  onboard_test_support GTest::gtest_main)
add_dependencies(identity_browser_tests onboard-api onboard_console)
onboard_add_suite_tests(identity_browser_tests browser
  "${ONBOARD_TEST_ENV};ONBOARD_IDP_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/provider.mjs;ONBOARD_JOSE_MINT_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/mint.js;ONBOARD_OIDC_BROWSER_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_browser.mjs;ONBOARD_CONSOLE_DIST=${CMAKE_BINARY_DIR}/console/dist;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${IDENTITY_BROWSER_SOURCES})

# identity_rig.cpp is compiled into each identity test binary; its file-local helpers (Env,
# Now) have namesakes in the test files, so it stays out of their unity batches.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
