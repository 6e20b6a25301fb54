# Issue #20: the Debian package (ops/package) installed into a fresh debootstrap chroot of
# Debian 12 with apt, migrated, served, removed and purged. Label package; needs root (or
# password-less sudo). The first run makes the Debian base system (debootstrap, kept in
# var/debian/ with apt's downloads); later runs reuse it.
add_test(NAME package.InstallsIntoAFreshDebianServesAndPurgesWithoutATrace
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/package/package_test.sh)
set_tests_properties(package.InstallsIntoAFreshDebianServesAndPurgesWithoutATrace PROPERTIES
  LABELS package TIMEOUT 900 ENVIRONMENT "${ONBOARD_TEST_ENV}")
