# Use-case tests of the organisation, onboarding and terms, verification, test-user, token,
# audit-query and support groups (issue #15): in-memory fakes of their stores
# (tests/unit/usecase_groups/fakes.hpp), no network, no database; label unit.
file(GLOB ONBOARD_USECASE_GROUP_TESTS CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_LIST_DIR}/unit/usecase_groups/*.cpp)
add_executable(onboard_usecase_group_tests ${ONBOARD_USECASE_GROUP_TESTS})
target_include_directories(onboard_usecase_group_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/unit/usecase_groups)
target_link_libraries(onboard_usecase_group_tests PRIVATE onboard_usecases onboard_pki_fixtures GTest::gtest_main)
gtest_discover_tests(onboard_usecase_group_tests TEST_PREFIX usecase. PROPERTIES LABELS unit
  DISCOVERY_TIMEOUT 30)
