#pragma once

#include "pool.hpp"
#include "support.hpp"

namespace onboard::db {

/// SupportStore on PostgreSQL. Thread-safe.
class SupportRepository final : public domain::SupportStore {
 public:
  explicit SupportRepository(Pool& pool) : pool_(pool) {}
  std::optional<std::string> FindOnboardingIdForClient(const std::string& client_id) override;
  std::vector<domain::SealedAuditEvent> RecentAuditEvents(
      const std::vector<std::string>& target_ids, int limit) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
