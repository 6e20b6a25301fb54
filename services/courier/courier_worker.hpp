#pragma once

#include <Poco/JSON/Object.h>

#include <random>
#include <string>

#include "claim_loop.hpp"
#include "config.hpp"
#include "courier.hpp"
#include "courier_repository.hpp"
#include "kek.hpp"
#include "mail/smtp_sender.hpp"
#include "sms/twilio_client.hpp"

namespace onboard::courier {

/// One claiming loop: claims due outbox rows, sends each outside any transaction, records
/// the result (outbox row + delivery + audit event in one transaction). Owns its SMS client
/// (one curl handle), so one Worker per thread.
class Worker final : public ClaimingWorker {
 public:
  Worker(const AppConfig& config, db::CourierRepository& store, const crypto::KeyRing& keys,
         std::string name);

  int RunOnce(StopSignal& stop) override;

 private:
  void Process(const domain::OutboxItem& item);
  void ProcessSms(const domain::OutboxItem& item);
  void ProcessEmail(const domain::OutboxItem& item);
  void ProcessRedact(const domain::OutboxItem& item);
  /// Records what a send came to: sent (`ref` names it), failed for good, or a retry; an
  /// unknown outcome stays unknown (looked up before the next send) unless `repeat_is_harmless`.
  void Settle(const domain::OutboxItem& item, const domain::SendResult& r, const std::string& ref,
              int attempts, bool repeat_is_harmless);
  /// Begins an SMS or e-mail attempt; false (nothing may be sent) when the claim was lost or
  /// the delivery was revoked meanwhile (then the row is cancelled and audited).
  bool BeginAttempt(const domain::OutboxItem& item);
  /// Records a failed attempt: a retry after the backoff, or a failure at the deadline.
  void Retry(const domain::OutboxItem& item, const domain::SendResult& r, int attempts);
  void Fail(const domain::OutboxItem& item, const std::string& code, const std::string& message);
  /// `found_by`: "" (the provider just accepted it), "lookup" or "status_callback" (an
  /// earlier attempt whose answer was lost had sent it).
  void Sent(const domain::OutboxItem& item, const std::string& ref, const char* found_by,
            int attempts);
  domain::AuditEvent Audit(const domain::OutboxItem& item, std::string action, std::string outcome,
                           const Poco::JSON::Object& detail) const;
  crypto::SecretString OpenPayload(const domain::OutboxItem& item) const;
  std::string StatusCallbackFor(const domain::OutboxItem& item) const;
  Poco::JSON::Object LogFields(const domain::OutboxItem& item) const;

  const AppConfig& config_;
  db::CourierRepository& store_;
  const crypto::KeyRing& keys_;
  TwilioClient sms_;
  SmtpSender smtp_;
  std::mt19937_64 rng_;
};

}  // namespace onboard::courier
