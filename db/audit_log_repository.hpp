#pragma once

#include "audit_log.hpp"
#include "audit_report.hpp"
#include "pool.hpp"

namespace onboard::db {

/// AuditLogStore on PostgreSQL. Thread-safe.
class AuditLogRepository final : public domain::AuditLogStore {
 public:
  explicit AuditLogRepository(Pool& pool) : pool_(pool) {}

  void Stream(const domain::AuditQuery& query,
              const std::function<void(const domain::SealedAuditEvent&)>& on_event) override;
  std::vector<std::string> ClientLineage(const std::string& client_id,
                                         std::vector<std::string>& order_ids) override;
  std::pair<int64_t, int64_t> SeqRangeForTimes(std::optional<int64_t> from_us,
                                               std::optional<int64_t> to_us) override;
  domain::ChainReport Verify(int64_t from_seq, int64_t to_seq,
                             const crypto::Signer* signer) override;
  std::optional<domain::Checkpoint> WriteCheckpoint(domain::CheckpointKind kind,
                                                    const crypto::Signer& signer,
                                                    const std::string& day,
                                                    const domain::AuditEvent& audit) override;
  std::vector<domain::Checkpoint> ListCheckpoints(std::optional<int64_t> before_id,
                                                  int limit) override;
  int64_t Prune(int64_t older_than_us, const crypto::Signer& signer,
                const domain::AuditEvent& audit) override;

 private:
  Pool& pool_;
};

/// ReportStore on PostgreSQL. Thread-safe.
class ReportRepository final : public domain::ReportStore {
 public:
  explicit ReportRepository(Pool& pool) : pool_(pool) {}

  domain::OnboardingReport Onboarding(const domain::ReportPeriod& period) override;
  domain::AccessReport Access(const domain::ReportPeriod& period) override;
  domain::CredentialsReport Credentials(const domain::ReportPeriod& period,
                                        int within_days) override;
  domain::DeliveriesReport Deliveries(const domain::ReportPeriod& period) override;
  void AddRefusals(const std::vector<domain::RefusalCount>& counts) override;

 private:
  Pool& pool_;
};

/// A PostgreSQL array literal of `items` (each quoted).
std::string TextArrayLiteral(const std::vector<std::string>& items);

}  // namespace onboard::db
