#pragma once

#include <string>
#include <utility>
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

/// What `find(id)` (a std::optional<T>) finds for each of `ids`, in the order of `ids`: a
/// store's FindMany where it can only look one up at a time.
template <class T, class Find>
std::vector<T> FindEach(const std::vector<std::string>& ids, Find find) {
  std::vector<T> out;
  for (const std::string& id : ids) {
    if (auto found = find(id)) out.push_back(std::move(*found));
  }
  return out;
}

}  // namespace onboard::domain
