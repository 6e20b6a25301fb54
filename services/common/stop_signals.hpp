#pragma once

#include <signal.h>

namespace onboard {

/// The stop signals (SIGTERM, SIGINT) of a service's main thread. Blocked on construction in
/// the calling thread, and so in every thread it starts afterwards: call first in main(),
/// before any thread exists, so only Wait() ever takes them.
class StopSignals {
 public:
  StopSignals();
  /// Waits until one of them arrives; returns its number.
  int Wait() const;

 private:
  sigset_t set_;
};

}  // namespace onboard
