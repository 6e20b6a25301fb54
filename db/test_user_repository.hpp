#pragma once

#include "pool.hpp"
#include "test_users.hpp"

namespace onboard::db {

/// TestUserStore on PostgreSQL. Thread-safe (each call leases its own connection).
/// Allocation locks the organisation row (FOR NO KEY UPDATE) for its transaction, so two
/// concurrent top-ups of one organisation run one after the other and never overshoot.
class TestUserRepository final : public domain::TestUserStore {
 public:
  explicit TestUserRepository(Pool& pool) : pool_(pool) {}

  std::vector<domain::TestUser> List(const std::string& orgno, bool include_released) override;
  domain::TestUserAllocation Allocate(const std::string& orgno, int requested,
                                      const std::string& allocated_by,
                                      const std::function<std::string()>& generate,
                                      const domain::AuditEvent& audit) override;
  std::optional<domain::TestUser> Release(const std::string& orgno, const std::string& pid,
                                          const std::string& released_by,
                                          const domain::AuditEvent& audit) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
