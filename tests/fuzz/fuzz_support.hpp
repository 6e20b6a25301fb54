#pragma once

// What the fuzz drivers share: the abort that reports a property that does not hold, and
// OpenSSL handles owned by std::unique_ptr.

#include <cstdlib>
#include <memory>

namespace onboard::fuzz {

/// Aborts (a finding) when a property the rest of the service relies on does not hold.
inline void Require(bool condition) {
  if (!condition) std::abort();
}

/// A std::unique_ptr deleter that calls `free` (X509_free, BIO_free, ...).
template <auto free>
struct Freer {
  template <class T>
  void operator()(T* p) const noexcept {
    free(p);
  }
};

/// A T* released with `free`: Owned<X509, X509_free>.
template <class T, auto free>
using Owned = std::unique_ptr<T, Freer<free>>;

}  // namespace onboard::fuzz
