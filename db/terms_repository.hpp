#pragma once

#include "pool.hpp"
#include "terms.hpp"

namespace onboard::db {

/// TermsStore on PostgreSQL. Thread-safe (each call leases its own connection). The
/// table refuses UPDATE and DELETE (migration 0003), so published versions stay as
/// they were published.
class TermsRepository final : public domain::TermsStore {
 public:
  explicit TermsRepository(Pool& pool) : pool_(pool) {}

  domain::Terms Publish(const domain::Terms& terms, const domain::AuditEvent& audit) override;
  std::vector<domain::Terms> List() override;
  std::optional<domain::Terms> Find(const std::string& version) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
