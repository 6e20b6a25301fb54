#pragma once

#include "pool.hpp"
#include "session.hpp"

namespace onboard::db {

/// SessionStore on PostgreSQL (table `sessions`, migration 0027). Thread-safe.
class SessionRepository final : public domain::SessionStore {
 public:
  explicit SessionRepository(Pool& pool) : pool_(pool) {}

  domain::Session Open(const std::string& id, const domain::NewSession& session,
                       const std::string& secret_hash, const domain::AuditEvent& audit) override;
  std::optional<domain::SessionLookup> FindBySecretHash(const std::string& secret_hash) override;
  void Touch(const std::string& id) override;
  bool End(const std::string& id, const std::string& reason,
           const domain::AuditEvent& audit) override;
  void RecordEvent(const domain::AuditEvent& audit) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
