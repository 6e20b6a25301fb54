#pragma once

#include <string>
#include <vector>

namespace onboard::domain {

/// Keyset pagination: `cursor` is opaque to callers (the last key of the previous page).
struct PageRequest {
  std::string cursor;
  int limit = 50;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  ///< empty on the last page
};

inline constexpr int kMaxPageSize = 200;

}  // namespace onboard::domain
