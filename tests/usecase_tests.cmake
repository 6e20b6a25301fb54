# Use-case tests (issue #15): every use case against in-memory fakes of its stores and of
# the unit of work (tests/unit/usecases/), no network, no database; label unit. A new
# use-case group adds its *_test.cpp to tests/unit/usecases/ (picked up by the glob).
file(GLOB ONBOARD_USECASE_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/unit/usecases/*.cpp)
onboard_test_binary(onboard_usecase_tests PREFIX usecase. LINK onboard_usecases
  INCLUDE ${CMAKE_CURRENT_LIST_DIR}/unit/usecases SOURCES ${ONBOARD_USECASE_TEST_SOURCES})
