# Cross-instance invalidation over LISTEN/NOTIFY (issue #19): two onboard-api processes.
onboard_test_binary(onboard_invalidation_tests LABEL reliability SERVICE E2E_HELPERS
  LINK onboard_test_support onboard_http
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/reliability/invalidation_test.cpp)
