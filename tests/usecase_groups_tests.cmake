# Use-case tests of the organisation, onboarding and terms, verification, test-user, token,
# audit-query and support groups (issue #15): in-memory fakes of their stores
# (tests/unit/usecase_groups/fakes.hpp), no network, no database; label unit.
file(GLOB ONBOARD_USECASE_GROUP_TESTS CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_LIST_DIR}/unit/usecase_groups/*.cpp)
onboard_test_binary(onboard_usecase_group_tests PREFIX usecase. LINK onboard_usecases onboard_pki_fixtures
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/unit/usecase_groups SOURCES ${ONBOARD_USECASE_GROUP_TESTS})
