#pragma once

// Notifications and webhooks (issue #18) in PostgreSQL: contacts, subscriptions, the
// dispatcher that derives events from the audit chain, expiry reminders, the operator digest
// and the courier's side of the notification outbox.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "courier.hpp"
#include "notification_store.hpp"
#include "pool.hpp"

namespace onboard::db {

/// The shared test clock's offset (migration 0040). Thread-safe (pooled).
class TestClockRepository final : public domain::ClockOffsetStore {
 public:
  explicit TestClockRepository(Pool& pool) : pool_(pool) {}
  std::chrono::seconds Load() override;
  void Save(std::chrono::seconds offset) override;

 private:
  Pool& pool_;
};

class ContactRepository final : public domain::NotificationContactStore {
 public:
  explicit ContactRepository(Pool& pool) : pool_(pool) {}
  domain::NotificationContact Create(const domain::NotificationContact& c,
                                     const domain::AuditEvent& audit) override;
  std::optional<domain::NotificationContact> Find(const std::string& id) override;
  std::vector<domain::NotificationContact> List(const std::string& organisation,
                                                const std::string& client_id) override;
  std::vector<domain::NotificationContact> ListAll(const std::string& organisation) override;
  domain::NotificationContact Update(const domain::NotificationContact& c, int expected_version,
                                     const domain::AuditEvent& audit) override;
  void Delete(const std::string& id, const domain::AuditEvent& audit) override;
  std::vector<domain::OrganisationWithoutContact> OrganisationsWithoutContacts() override;

 private:
  Pool& pool_;
};

class WebhookRepository final : public domain::WebhookStore {
 public:
  explicit WebhookRepository(Pool& pool) : pool_(pool) {}
  domain::WebhookSubscription Create(const domain::WebhookSubscription& s,
                                     const std::string& kek_id, const std::string& sealed_secret,
                                     const domain::AuditEvent& audit) override;
  std::optional<domain::WebhookSubscription> Find(const std::string& id) override;
  std::vector<domain::WebhookSubscription> List(const std::string& organisation) override;
  domain::WebhookSubscription Update(const domain::WebhookSubscription& s, int expected_version,
                                     const domain::AuditEvent& audit) override;
  void Delete(const std::string& id, const domain::AuditEvent& audit) override;
  std::string QueueTest(const std::string& id, const domain::NotificationEvent& event,
                        int deadline_minutes, const domain::AuditEvent& audit) override;
  std::vector<domain::WebhookAttempt> Attempts(const std::string& id, int limit) override;

 private:
  Pool& pool_;
};

/// Deadlines of the messages the dispatcher and the scheduler queue.
struct NotifyDeadlines {
  int webhook_minutes = 1440;  ///< webhooks are retried for 24 h
  int mail_minutes = 1440;
};

/// The API side of notifications: events from the chain, reminders, the digest.
/// Thread-safe (pooled); any number of instances may run every method at once.
class NotificationRepository final : public domain::ReminderStore {
 public:
  NotificationRepository(Pool& pool, const domain::NotificationRenderer& renderer,
                         NotifyDeadlines deadlines)
      : pool_(pool), renderer_(renderer), deadlines_(deadlines) {}

  /// One dispatcher round: locks the cursor (skips when another instance holds it), reads up
  /// to `limit` sealed audit events after it, and for each derived event writes the event, a
  /// delivery per matching webhook subscription and, for critical events, an e-mail per
  /// contact of the client (falling back to its organisation), then moves the cursor, all in
  /// one transaction. Webhook deliveries may be retried until `now` (the notifications'
  /// clock) plus webhooks.retry_hours. Returns the audit events read (-1: another instance
  /// was dispatching).
  int DispatchRound(int limit, domain::SysTime now);

  /// Credentials that still authenticate and expire within `max_days` of `now`.
  std::vector<domain::ExpiringCredential> Expiring(domain::SysTime now, int max_days) override;

  /// The reminder for (`c`, `threshold_days`) at `now`, once across every instance: in one
  /// transaction the reminder row (unique per credential and threshold), an e-mail (and an
  /// SMS where a mobile is given) per contact of the client, falling back to its
  /// organisation, and `audit` (notification.expiry_reminder). False when it existed.
  bool RecordReminder(const domain::ExpiringCredential& c, int threshold_days, domain::SysTime now,
                      domain::AuditEvent audit) override;

  /// The operator team's digest of UTC `day` (YYYY-MM-DD) to `to`, once across every
  /// instance. False when it was already queued.
  bool QueueDigest(const std::string& day, const std::string& to, domain::SysTime now,
                   int within_days) override;

 private:
  Pool& pool_;
  const domain::NotificationRenderer& renderer_;
  NotifyDeadlines deadlines_;
};

/// A notification outbox row claimed by a courier.
struct NotificationItem {
  int64_t id = 0;
  std::string kind;  ///< email | sms | webhook
  std::string purpose;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string subscription_id;
  std::string event_id;
  int attempts = 0;
  domain::SystemTime deadline_at;
  std::optional<domain::SystemTime> attempt_started_at;
};

/// A subscription as the courier needs it for one delivery.
struct WebhookForDelivery {
  std::string state;
  std::string kek_id;
  std::string sealed_secret;
  std::string organisation;
  std::string url;
  std::optional<domain::SystemTime> failing_since;
};

/// The courier's side of the notification outbox. Each method is its own transaction and
/// touches a row only while `worker` holds it. Thread-safe (pooled).
class NotificationOutboxRepository {
 public:
  NotificationOutboxRepository(Pool& pool, const domain::NotificationRenderer* renderer,
                               std::string operator_email)
      : pool_(pool), renderer_(renderer), operator_email_(std::move(operator_email)) {}

  std::vector<NotificationItem> Claim(const std::string& worker, int limit,
                                      std::chrono::milliseconds lease);
  bool BeginAttempt(const NotificationItem& item, const std::string& worker,
                    std::chrono::milliseconds lease);
  bool Release(const NotificationItem& item, const std::string& worker);
  std::optional<WebhookForDelivery> Webhook(const std::string& subscription_id);

  bool RecordSent(const NotificationItem& item, const std::string& worker,
                  const std::string& provider_ref, int status);
  bool RecordFailure(const NotificationItem& item, const std::string& worker,
                     const std::string& code, const std::string& message, int status);
  bool RecordRetry(const NotificationItem& item, const std::string& worker,
                   std::chrono::milliseconds delay, bool outcome_unknown, const std::string& code,
                   const std::string& message, int status);

  /// A webhook attempt with its outcome, in one transaction: the delivery log row, the
  /// outbox row (done, retry after `retry_delay`, or failed), the subscription's failure
  /// record, and — when `disable_reason` is set — the subscription disabled, its other
  /// deliveries cancelled, its owner told (contacts of kind "webhook", else the operator
  /// team) and `audit` (webhook.disable) appended.
  struct WebhookOutcome {
    std::optional<int> status;
    int latency_ms = 0;
    std::string error_code;
    std::string error;
    bool success = false;
    bool give_up = false;  ///< deadline reached
    std::optional<std::chrono::milliseconds> retry_delay;
    std::string disable_reason;  ///< "gone" (410) or "failing" (past the failure window)
  };
  /// Returns the subscription's failing_since after the attempt (none when healthy).
  bool RecordWebhook(const NotificationItem& item, const std::string& worker,
                     const WebhookOutcome& outcome, const domain::AuditEvent& audit);
  /// When the subscription's failures began (`now` if this is the first since its last
  /// success), for the decision to disable it.
  std::optional<domain::SystemTime> MarkFailing(const std::string& subscription_id,
                                                domain::SystemTime now);

 private:
  Pool& pool_;
  const domain::NotificationRenderer* renderer_;
  std::string operator_email_;
};

}  // namespace onboard::db
