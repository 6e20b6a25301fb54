#pragma once

#include <memory>

namespace onboard {

/// A deleter that hands a C library's handle back with `Free` (BIO_free, zip_discard,
/// curl_slist_free_all, ...). std::unique_ptr calls it only for a non-null handle; a
/// std::shared_ptr takes it as its deleter the same way.
template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Free(handle);
  }
};

/// A C handle owned by a move-only std::unique_ptr that releases it with `Free`, e.g.
/// `CHandle<BIO, BIO_free> bio(BIO_new(BIO_s_mem()));`.
template <typename T, auto Free>
using CHandle = std::unique_ptr<T, FreeWith<Free>>;

}  // namespace onboard
