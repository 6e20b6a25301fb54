#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "audit_report.hpp"

namespace onboard::domain {

/// Counts refused requests (401/403) per token, status and UTC day in memory, so that
/// recording one costs a map update; a background task moves the counts to the store
/// (Take) every second. Thread-safe.
class RefusalCounter {
 public:
  /// `token_id` empty: no known token was presented ("anonymous").
  void Record(const std::string& token_id, const std::string& token_name, const std::string& role,
              int status, int64_t now_us);
  /// Removes and returns everything counted so far.
  std::vector<RefusalCount> Take();
  /// Puts counts back after a failed flush (added to whatever arrived meanwhile).
  void Restore(const std::vector<RefusalCount>& counts);

 private:
  using Key = std::tuple<std::string, std::string, int>;  // day, token key, status
  void AddLocked(const RefusalCount& c);
  std::mutex mutex_;
  std::map<Key, RefusalCount> counts_;
};

}  // namespace onboard::domain
