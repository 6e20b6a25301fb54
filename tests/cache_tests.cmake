# The hot-path caches of onboard-api (verified tokens, provider runtime snapshots): reload
# ahead of expiry by one request, fallbacks and invalidation. Fakes for the stores, no
# network and no database.
onboard_test_binary(onboard_cache_tests LINK onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/cache_refresh_test.cpp)
