#pragma once

#include "courier.hpp"
#include "pool.hpp"

namespace onboard::db {

/// The outbox as onboard-courier sees it (domain::CourierStore). Thread-safe (pooled).
class CourierRepository final : public domain::CourierStore {
 public:
  explicit CourierRepository(Pool& pool) : pool_(pool) {}

  std::vector<domain::OutboxItem> Claim(const std::string& worker, int limit,
                                        std::chrono::milliseconds lease) override;
  bool BeginAttempt(const domain::OutboxItem& item, const std::string& worker,
                    std::chrono::milliseconds lease) override;
  bool CancelRevoked(const domain::OutboxItem& item, const std::string& worker,
                     const domain::AuditEvent& audit) override;
  bool RecordSent(const domain::OutboxItem& item, const std::string& worker,
                  const std::string& provider_ref, const domain::AuditEvent& audit) override;
  bool RecordFailure(const domain::OutboxItem& item, const std::string& worker,
                     const std::string& code, const std::string& message,
                     const domain::AuditEvent& audit) override;
  bool RecordRetry(const domain::OutboxItem& item, const std::string& worker,
                   std::chrono::milliseconds delay, bool outcome_unknown, const std::string& code,
                   const std::string& message) override;
  /// Gives back a claimed row that was not started (a stopping courier).
  bool Release(const domain::OutboxItem& item, const std::string& worker);

 private:
  Pool& pool_;
};

/// Status callbacks of the SMS provider (domain::SmsCallbackStore). Thread-safe (pooled).
class SmsCallbackRepository final : public domain::SmsCallbackStore {
 public:
  explicit SmsCallbackRepository(Pool& pool) : pool_(pool) {}

  domain::CallbackEffect Apply(const domain::SmsStatusReport& report, domain::AuditEvent audit,
                               std::chrono::minutes redact_deadline) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
