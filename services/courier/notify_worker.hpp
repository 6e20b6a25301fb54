#pragma once

#include <random>
#include <string>

#include "clock.hpp"
#include "config.hpp"
#include "courier_worker.hpp"
#include "kek.hpp"
#include "mail/smtp_sender.hpp"
#include "notify_repository.hpp"
#include "sms/twilio_client.hpp"
#include "webhook/webhook_sender.hpp"

namespace onboard::courier {

/// One claiming loop over the notification outbox (issue #18): reminder, critical-event and
/// digest e-mail and SMS, and webhook deliveries signed per the Standard Webhooks
/// specification (webhook-id = the event id, the same on every retry). Retries with
/// exponential backoff and jitter until the row's deadline; a 410 disables the subscription,
/// and so do failures lasting webhooks.disable_after_s (its owner is told). Those two windows
/// are judged by `clock` (the system clock, or with testing.clock_control the shared test
/// clock, loaded from `shared_offset` before every round; `shared_offset` is null
/// otherwise). One per thread; `clock` may be shared by the workers of a process.
class NotifyWorker final : public ClaimingWorker {
 public:
  NotifyWorker(const AppConfig& config, db::NotificationOutboxRepository& store,
               const crypto::KeyRing& keys, std::string name, domain::OffsetClock& clock,
               domain::ClockOffsetStore* shared_offset);

  int RunOnce(StopSignal& stop) override;

 private:
  void Process(const db::NotificationItem& item);
  void ProcessEmail(const db::NotificationItem& item);
  void ProcessSms(const db::NotificationItem& item);
  void ProcessWebhook(const db::NotificationItem& item);
  void Retry(const db::NotificationItem& item, const domain::SendResult& r, int attempts);
  std::chrono::milliseconds Backoff(int attempts, std::chrono::milliseconds base,
                                    std::chrono::milliseconds max,
                                    std::optional<std::chrono::milliseconds> retry_after = {});
  Poco::JSON::Object LogFields(const db::NotificationItem& item) const;

  const AppConfig& config_;
  db::NotificationOutboxRepository& store_;
  const crypto::KeyRing& keys_;
  domain::OffsetClock& clock_;
  domain::ClockOffsetStore* shared_offset_;
  TwilioClient sms_;
  SmtpSender smtp_;
  WebhookSender webhooks_;
  std::mt19937_64 rng_;
};

}  // namespace onboard::courier
