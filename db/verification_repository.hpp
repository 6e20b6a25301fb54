#pragma once

#include "pool.hpp"
#include "verification.hpp"

namespace onboard::db {

/// VerificationStore on PostgreSQL. Thread-safe (each call leases its own connection).
/// Catalogue versions, runs and their results are immutable rows (triggers refuse
/// UPDATE and DELETE), so a run always reads back as it was recorded.
class VerificationRepository final : public domain::VerificationStore {
 public:
  explicit VerificationRepository(Pool& pool) : pool_(pool) {}

  domain::VerificationCatalogue CurrentCatalogue() override;
  std::optional<domain::VerificationCatalogue> FindCatalogue(int version) override;
  domain::VerificationCatalogue PublishCatalogue(const domain::VerificationCatalogue& catalogue,
                                                 const domain::AuditEvent& audit) override;
  domain::VerificationRun RecordRun(const domain::VerificationRun& run, const domain::Actor& by,
                                    const domain::AuditEvent& audit) override;
  std::vector<domain::VerificationRun> ListRuns(const std::string& client_id, int limit) override;
  std::optional<domain::VerificationRun> LatestCompleteRun(const std::string& client_id) override;
  std::optional<std::string> FindCaseOfClient(const std::string& client_id) override;
  std::map<std::string, domain::TestClientFacts> FactsOfTestClients(
      const std::vector<std::string>& client_ids) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
