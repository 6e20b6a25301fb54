# Identity (issue #17): JWT access tokens of API callers, the provider's self-service API
# shape, and OpenID Connect sign-in for operators. Included at the end of
# tests/CMakeLists.txt (it uses onboard_pki_fixtures from provider_tests.cmake).

onboard_test_binary(identity_unit_tests SUITES LINK onboard_pki_fixtures onboard_domain
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/access_token_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/oidc_relying_party_test.cpp)

# An identity test binary: `sources` with the identity rig and the e2e helpers, one ctest per
# suite under `label`, run with the real OpenID provider (provider.mjs) and npm jose
# (mint.js) from var/node. LINK and DEPENDS add to the usual; ENV adds NAME=value entries.
function(onboard_identity_tests target label sources)
  cmake_parse_arguments(arg "" "" "LINK;DEPENDS;ENV" ${ARGN})
  set(dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/e2e/identity)
  onboard_test_binary(${target} LABEL ${label} SUITES SERVICE E2E_HELPERS INCLUDE ${dir}
    EXTRA ${dir}/identity_rig.cpp SOURCES ${sources} DEPENDS ${arg_DEPENDS}
    LINK onboard_pki_fixtures onboard_courier_test_support onboard_test_support ${arg_LINK}
    ENV ${ONBOARD_TEST_ENV} ONBOARD_IDP_JS=${dir}/provider.mjs ONBOARD_JOSE_MINT_JS=${dir}/mint.js
    ${arg_ENV} ${ONBOARD_NODE_MODULES_ENV})
endfunction()

# e2e: the real onboard-api with a real OpenID provider and tokens minted by npm jose.
onboard_identity_tests(identity_e2e_tests e2e
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/access_token_http_test.cpp LINK onboard_http)

# Operators' OpenID Connect sign-in: the real provider (login driven by oidc_login.mjs; its
# token answers altered through POST /_tamper for the ID-token checks).
onboard_identity_tests(identity_oidc_tests e2e
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_sign_in_test.cpp
  ENV ONBOARD_OIDC_LOGIN_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_login.mjs)

# The provider's self-service API shape (/clients) with the provider's access tokens.
onboard_identity_tests(identity_self_service_tests e2e
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/self_service_test.cpp)

# Single sign-on in a real browser (label browser): Debian's chromium driven by the pinned
# puppeteer-core (oidc_browser.mjs) through oidc-provider's login and consent pages.
onboard_identity_tests(identity_browser_tests browser
  ${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_browser_test.cpp DEPENDS onboard_console
  ENV ONBOARD_OIDC_BROWSER_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/identity/oidc_browser.mjs
  ONBOARD_CONSOLE_DIST=${CMAKE_BINARY_DIR}/console/dist)

# identity_rig.cpp is compiled into each identity test binary; its file-local helpers (Env,
# Now) have namesakes in the test files, so it stays out of their unity batches.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/e2e/identity/identity_rig.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
