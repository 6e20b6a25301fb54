#include "refusal_counter.hpp"

#include "audit_export.hpp"

namespace onboard::domain {

namespace {
// Distinct keys kept between flushes; beyond this, refusals of further unknown keys are
// folded into the anonymous row so a flood cannot grow memory.
constexpr std::size_t kMaxKeys = 10000;
}  // namespace

void RefusalCounter::Record(const std::string& token_id, const std::string& token_name,
                            const std::string& role, int status, int64_t now_us) {
  RefusalCount c;
  c.day = Rfc3339FromMicros(now_us).substr(0, 10);
  c.token_key = token_id.empty() ? "anonymous" : token_id;
  c.token_name = token_name;
  c.role = role;
  c.status = status;
  c.count = 1;
  c.last_at_us = now_us;
  std::lock_guard<std::mutex> lock(mutex_);
  if (counts_.size() >= kMaxKeys && !counts_.contains(Key{c.day, c.token_key, c.status})) {
    c.token_key = "anonymous";
    c.token_name.clear();
    c.role.clear();
  }
  AddLocked(c);
}

void RefusalCounter::AddLocked(const RefusalCount& c) {
  auto [it, inserted] = counts_.try_emplace(Key{c.day, c.token_key, c.status}, c);
  if (!inserted) {
    it->second.count += c.count;
    if (c.last_at_us > it->second.last_at_us) it->second.last_at_us = c.last_at_us;
    if (!c.token_name.empty()) it->second.token_name = c.token_name;
    if (!c.role.empty()) it->second.role = c.role;
  }
}

std::vector<RefusalCount> RefusalCounter::Take() {
  std::map<Key, RefusalCount> taken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    taken.swap(counts_);
  }
  std::vector<RefusalCount> out;
  out.reserve(taken.size());
  for (auto& [k, v] : taken) out.push_back(std::move(v));
  return out;
}

void RefusalCounter::Restore(const std::vector<RefusalCount>& counts) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& c : counts) AddLocked(c);
}

}  // namespace onboard::domain
