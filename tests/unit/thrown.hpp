#pragma once

// Catching the AppError a refused call throws, for the unit tests of rules.

#include <stdexcept>

#include "error.hpp"

namespace onboard::testsupport {

/// Runs `f` and returns the AppError it throws; throws std::logic_error (failing the test)
/// when it returns normally.
template <class F>
AppError Thrown(F f) {
  try {
    f();
  } catch (const AppError& e) {
    return e;
  }
  throw std::logic_error("expected an AppError");
}

}  // namespace onboard::testsupport
