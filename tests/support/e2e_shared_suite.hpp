#pragma once

// A gtest suite whose tests share one rig (a throwaway database and the processes around
// it), started once per suite: every suite runs as one ctest, and starting a rig costs more
// than its tests. Header-only, for the e2e and reliability tests.

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>

namespace onboard::testsupport {

/// Base of a suite sharing one `Rig`:
///   class Faults : public SharedRigSuite<Faults, DeliveryRig> {
///    public:
///     static std::unique_ptr<DeliveryRig> StartRig();  // optional: a default-made Rig
///     static void StopRig(DeliveryRig&);                // optional: nothing
///   };
/// The rig is started by the first test's SetUp, not in SetUpTestSuite: gtest turns a
/// failure in SetUpTestSuite into SKIPPED tests, and a missing database or peer must fail
/// every test of the suite, never skip one. A rig that did not start is not tried again.
/// A suite that overrides SetUp calls this SetUp first and returns on a fatal failure.
template <class Suite, class Rig>
class SharedRigSuite : public ::testing::Test {
 public:
  static void TearDownTestSuite() {
    if (rig_) Suite::StopRig(*rig_);
    rig_.reset();
    error_.clear();
  }

  /// What a suite starts unless it says otherwise.
  static std::unique_ptr<Rig> StartRig() { return std::make_unique<Rig>(); }
  /// What a suite does with its rig before destroying it (e.g. check a clean shutdown).
  static void StopRig(Rig&) {}

 protected:
  void SetUp() override {
    if (!rig_ && error_.empty()) {
      try {
        rig_ = Suite::StartRig();
      } catch (const std::exception& e) {
        error_ = std::string("(") + e.what() + ")";
      }
    }
    ASSERT_TRUE(rig_) << "the suite's rig (database, onboard-api and peers) did not start "
                      << error_;
  }
  static Rig& rig() { return *rig_; }

  inline static std::unique_ptr<Rig> rig_;
  inline static std::string error_;
};

}  // namespace onboard::testsupport
