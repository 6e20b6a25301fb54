#pragma once

// What the fuzz drivers share: the abort that reports a property that does not hold, and
// OpenSSL handles owned by std::unique_ptr.

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "c_handle.hpp"

namespace onboard::fuzz {

/// Aborts (a finding) when a property the rest of the service relies on does not hold.
inline void Require(bool condition, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant failed at %s:%d\n", file, line);
  std::abort();
}

/// A T* released with `free`: Owned<X509, X509_free> (services/common/c_handle.hpp).
template <class T, auto free>
using Owned = CHandle<T, free>;

}  // namespace onboard::fuzz
