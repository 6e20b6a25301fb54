# The hot-path caches of onboard-api (verified tokens, provider runtime snapshots): reload
# ahead of expiry by one request, fallbacks and invalidation. Fakes for the stores, no
# network and no database.
add_executable(onboard_cache_tests ${CMAKE_CURRENT_LIST_DIR}/unit/cache_refresh_test.cpp)
target_link_libraries(onboard_cache_tests PRIVATE onboard_http GTest::gtest_main)
gtest_discover_tests(onboard_cache_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
