#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>

#include "config.hpp"
#include "courier.hpp"
#include "courier_repository.hpp"
#include "kek.hpp"
#include "mail/smtp_sender.hpp"
#include "sms/twilio_client.hpp"

namespace onboard::courier {

/// Tells the workers to stop; wakes any that sleep. Thread-safe.
class StopSignal {
 public:
  void Stop();
  bool stopped() const noexcept { return stopped_.load(); }
  /// Sleeps up to `d`, less when stopped meanwhile.
  void SleepFor(std::chrono::milliseconds d);

 private:
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
};

/// One claiming loop: claims due outbox rows, sends each outside any transaction, records
/// the result (outbox row + delivery + audit event in one transaction). Owns its SMS client
/// (one curl handle), so one Worker per thread.
class Worker {
 public:
  Worker(const AppConfig& config, db::CourierRepository& store, const crypto::KeyRing& keys,
         std::string name);

  /// Loops until `stop`; database outages are logged and waited out.
  void Run(StopSignal& stop);
  /// One round: claims and processes up to courier.batch_size rows; returns how many it
  /// claimed. Rows left when `stop` fires are given back.
  int RunOnce(StopSignal& stop);

 private:
  void Process(const domain::OutboxItem& item);
  void ProcessSms(const domain::OutboxItem& item);
  void ProcessEmail(const domain::OutboxItem& item);
  void ProcessRedact(const domain::OutboxItem& item);
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
  std::string name_;
  TwilioClient sms_;
  SmtpSender smtp_;
  std::mt19937_64 rng_;
};

}  // namespace onboard::courier
