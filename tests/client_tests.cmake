# Client lifecycle and RFC 7591/7592 registration tests. Included by tests/CMakeLists.txt
# after onboard_test_support and ONBOARD_TEST_ENV are defined.
#
# integration: db::ClientRepository against PostgreSQL.
# e2e: the real onboard-api over HTTP.
# The tests of one suite share one database (and, for e2e, one service process), because
# creating a migrated database costs more than the tests themselves. So each suite is ONE
# ctest, `<label>.<Suite>`, running all its tests in one process. Suite names are read from
# the sources; CMake re-runs by itself when a listed source changes.

# Registers one ctest per TEST/TEST_F suite found in `sources`, running `target`.
function(onboard_add_suite_tests target label env)
  set(suites "")
  foreach(source IN LISTS ARGN)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
    file(STRINGS ${source} suite_lines REGEX "^TEST(_F)?\\(")
    foreach(line IN LISTS suite_lines)
      string(REGEX REPLACE "^TEST(_F)?\\(([A-Za-z0-9_]+),.*" "\\2" suite "${line}")
      list(APPEND suites ${suite})
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES suites)
  foreach(suite IN LISTS suites)
    add_test(NAME ${label}.${suite} COMMAND ${target} --gtest_filter=${suite}.*)
    set_tests_properties(${label}.${suite} PROPERTIES LABELS ${label} TIMEOUT 180 ENVIRONMENT "${env}")
  endforeach()
endfunction()

set(ONBOARD_CLIENT_INTEGRATION_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/integration/client_repository_test.cpp)
add_executable(onboard_client_integration_tests ${ONBOARD_CLIENT_INTEGRATION_SOURCES})
target_link_libraries(onboard_client_integration_tests PRIVATE onboard_test_support onboard_db GTest::gtest_main)
add_dependencies(onboard_client_integration_tests onboard-api)
onboard_add_suite_tests(onboard_client_integration_tests integration "${ONBOARD_TEST_ENV}"
  ${ONBOARD_CLIENT_INTEGRATION_SOURCES})

set(ONBOARD_CLIENT_E2E_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/e2e/client_http_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/client_scoping_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/registration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/registration_oidc_library_test.cpp)
add_executable(onboard_client_e2e_tests ${ONBOARD_CLIENT_E2E_SOURCES})
target_link_libraries(onboard_client_e2e_tests PRIVATE onboard_test_support onboard_http GTest::gtest_main)
add_dependencies(onboard_client_e2e_tests onboard-api)
# The openid-client interop test runs tests/e2e/oidc_library/register.js with node and the
# packages installed into var/node (git-ignored) by the install script.
onboard_add_suite_tests(onboard_client_e2e_tests e2e
  "${ONBOARD_TEST_ENV};ONBOARD_OIDC_REGISTER_JS=${CMAKE_CURRENT_LIST_DIR}/e2e/oidc_library/register.js;ONBOARD_NODE_MODULES=${CMAKE_SOURCE_DIR}/var/node/node_modules"
  ${ONBOARD_CLIENT_E2E_SOURCES})
