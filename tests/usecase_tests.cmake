# Use-case tests (issue #15): every use case against in-memory fakes of its stores and of
# the unit of work (tests/unit/usecases/), no network, no database; label unit. A new
# use-case group adds its *_test.cpp to tests/unit/usecases/ (picked up by the glob).
file(GLOB ONBOARD_USECASE_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/unit/usecases/*.cpp)
onboard_test_binary(onboard_usecase_tests PREFIX usecase. LINK onboard_usecases
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/unit/usecases SOURCES ${ONBOARD_USECASE_TEST_SOURCES})

# tests/mutation_check.py builds in build-mutation/, configured with ONBOARD_MUTATION_CHECK=ON:
# the use-case library outside the unity build there, so a mutant recompiles one file.
option(ONBOARD_MUTATION_CHECK "Build onboard_usecases without unity batches (tests/mutation_check.py)" OFF)
if(ONBOARD_MUTATION_CHECK)
  set_target_properties(onboard_usecases PROPERTIES UNITY_BUILD OFF)
endif()
