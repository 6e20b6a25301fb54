#pragma once

// The stores of notifications and webhooks (issue #18), implemented in db/notify_repository.

#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "notification.hpp"

namespace onboard::domain {

/// An organisation nobody is told about (for the operator team's report).
struct OrganisationWithoutContact {
  std::string orgno;
  std::string name;
  int clients = 0;
  std::string created_at;
};

/// Notification contacts. Mutations write `audit` in the same transaction. Throws
/// AppError: kConflict for a duplicate e-mail of the same owner or a stale version,
/// kNotFound for an unknown id.
class NotificationContactStore {
 public:
  virtual ~NotificationContactStore() = default;
  virtual NotificationContact Create(const NotificationContact& c, const AuditEvent& audit) = 0;
  virtual std::optional<NotificationContact> Find(const std::string& id) = 0;
  /// The contacts of an organisation (client_id empty: its own; otherwise that client's).
  virtual std::vector<NotificationContact> List(const std::string& organisation,
                                                const std::string& client_id) = 0;
  /// Every contact of the organisation, its clients' included.
  virtual std::vector<NotificationContact> ListAll(const std::string& organisation) = 0;
  virtual NotificationContact Update(const NotificationContact& c, int expected_version,
                                     const AuditEvent& audit) = 0;
  virtual void Delete(const std::string& id, const AuditEvent& audit) = 0;
  virtual std::vector<OrganisationWithoutContact> OrganisationsWithoutContacts() = 0;
};

struct WebhookSubscription {
  std::string id;
  std::string organisation;  ///< empty: every organisation (operators only)
  std::string url;
  std::vector<std::string> events;  ///< types, or "*"
  std::string description;
  std::string state = "active";  ///< active | disabled
  std::string disabled_reason;
  std::string disabled_at;
  std::string failing_since;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  int version = 1;
};

/// One attempt in a subscription's delivery log.
struct WebhookAttempt {
  int64_t outbox_id = 0;
  std::string event_id;
  std::string event_type;
  int attempt = 0;
  std::optional<int> status;  ///< HTTP status; none when no answer came
  int latency_ms = 0;
  std::string error;
  std::string attempted_at;
  std::string delivery_state;  ///< pending | sending | done | failed | cancelled
};

/// Webhook subscriptions. The secret arrives sealed (KEK id + bytes). Mutations write
/// `audit` in the same transaction; kNotFound for unknown (or deleted) ids, kConflict for a
/// stale version.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  virtual WebhookSubscription Create(const WebhookSubscription& s, const std::string& kek_id,
                                     const std::string& sealed_secret, const AuditEvent& audit) = 0;
  virtual std::optional<WebhookSubscription> Find(const std::string& id) = 0;
  /// organisation empty: every subscription.
  virtual std::vector<WebhookSubscription> List(const std::string& organisation) = 0;
  /// Saves url, events, description and state (re-enabling clears the failure record).
  virtual WebhookSubscription Update(const WebhookSubscription& s, int expected_version,
                                     const AuditEvent& audit) = 0;
  /// Marks it deleted and cancels its pending deliveries.
  virtual void Delete(const std::string& id, const AuditEvent& audit) = 0;
  /// Queues a `webhook.test` event for this subscription alone; returns the event id.
  virtual std::string QueueTest(const std::string& id, const NotificationEvent& event,
                                int deadline_minutes, const AuditEvent& audit) = 0;
  virtual std::vector<WebhookAttempt> Attempts(const std::string& id, int limit) = 0;
};

/// A credential that still authenticates and expires soon (reminders and the digest).
struct ExpiringCredential {
  std::string kind;  ///< secret | key | certificate
  std::string id;
  std::string client_id;
  std::string label;  ///< the secret's id prefix, or the certificate's thumbprint / key's kid
  int64_t expires_at_s = 0;
  std::string client_name;
  std::string environment;
  std::string organisation;
  std::optional<int> smallest_sent;  ///< the most urgent threshold already sent
};

/// A reminder that reached nobody (for the digest).
struct UndeliveredReminder {
  ExpiringCredential credential;
  int threshold_days = 0;
  int recipients = 0;
  std::string errors;
};

/// What a message says about the client an event concerns.
struct MessageClient {
  std::string client_id;
  std::string client_name;
  std::string environment;
  std::string organisation;
};

/// An e-mail (subject + text) and its SMS text.
struct RenderedMessage {
  std::string subject;
  std::string text;
  std::string sms;
};

/// Renders the texts people read (templates/, nb and en). Implemented over the embedded
/// mustache templates; thread-safe.
class NotificationRenderer {
 public:
  virtual ~NotificationRenderer() = default;
  virtual RenderedMessage Critical(const NotificationEvent& event, const MessageClient& client,
                                   const std::string& language) const = 0;
  virtual RenderedMessage Reminder(const ExpiringCredential& credential, int threshold_days,
                                   const std::string& language) const = 0;
  virtual RenderedMessage Digest(const std::string& day,
                                 const std::vector<ExpiringCredential>& expiring,
                                 const std::vector<UndeliveredReminder>& undelivered) const = 0;
  virtual RenderedMessage WebhookDisabled(const std::string& subscription_id,
                                          const std::string& url, const std::string& reason,
                                          const std::string& language) const = 0;
};

/// What the reminder scheduler needs of the database (db::NotificationRepository).
class ReminderStore {
 public:
  virtual ~ReminderStore() = default;
  /// Credentials that still authenticate and expire within `max_days` of `now`.
  virtual std::vector<ExpiringCredential> Expiring(SysTime now, int max_days) = 0;
  /// The reminder (credential, threshold) with its messages and `audit`, once across every
  /// instance; false when it was already recorded.
  virtual bool RecordReminder(const ExpiringCredential& c, int threshold_days, SysTime now,
                              AuditEvent audit) = 0;
  /// The digest of UTC `day` to `to`, once; false when it was already queued.
  virtual bool QueueDigest(const std::string& day, const std::string& to, SysTime now,
                           int within_days) = 0;
};

}  // namespace onboard::domain
