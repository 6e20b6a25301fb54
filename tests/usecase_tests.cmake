# Use-case tests (issue #15): every use case against in-memory fakes of its stores and of
# the unit of work (tests/unit/usecases/), no network, no database; label unit. A new
# use-case group adds its *_test.cpp to tests/unit/usecases/ (picked up by the glob).
file(GLOB ONBOARD_USECASE_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/unit/usecases/*.cpp)
add_executable(onboard_usecase_tests ${ONBOARD_USECASE_TEST_SOURCES})
target_include_directories(onboard_usecase_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/usecases)
target_link_libraries(onboard_usecase_tests PRIVATE onboard_usecases GTest::gtest_main)
gtest_discover_tests(onboard_usecase_tests TEST_PREFIX usecase. PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
