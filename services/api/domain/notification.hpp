#pragma once

// Notifications and webhooks (issue #18), the plain rules: notification contacts, the
// events derived from audit events, expiry-reminder thresholds, webhook targets (SSRF) and
// the Standard Webhooks signature. No SQL, no network.

#include <Poco/JSON/Object.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_event.hpp"
#include "error.hpp"

namespace onboard::domain {

// ---- contacts --------------------------------------------------------------------------

/// What a contact wants to hear about.
inline constexpr const char* kContactKinds[] = {"expiry", "critical", "webhook"};

/// A notification contact ("varslingspunkt") of an organisation (client_id empty) or of one
/// client.
struct NotificationContact {
  std::string id;
  std::string organisation;
  std::string client_id;  ///< empty: the organisation's contact
  std::string email;
  std::string mobile;           ///< E.164 or empty
  std::string language = "nb";  ///< nb | en
  std::vector<std::string> kinds{"expiry", "critical", "webhook"};
  int version = 1;
  std::string created_by;
  std::string created_at;
  std::string updated_at;

  bool Wants(std::string_view kind) const;
};

/// Field errors of a contact (paths relative to the contact object): a plausible e-mail, an
/// E.164 mobile when given, language nb or en, at least one known kind, no duplicates.
std::vector<FieldError> ValidateContact(const NotificationContact& contact);

/// The contacts that get a notification of `kind` about `client_id`: the client's own
/// contacts that want it, or, when the client has none that want it, the organisation's.
std::vector<NotificationContact> RecipientsFor(const std::vector<NotificationContact>& contacts,
                                               const std::string& client_id, std::string_view kind);

// ---- events ----------------------------------------------------------------------------

/// An event for webhooks and critical e-mail: {id, type, occurred_at, organisation,
/// client_id?, data}. `data` never holds a secret, password or token.
struct NotificationEvent {
  std::string id;
  std::string type;  ///< e.g. client.created, secret.issued, order.approved
  int64_t occurred_at_us = 0;
  std::string organisation;
  std::string client_id;
  Poco::JSON::Object::Ptr data;
  bool critical = false;  ///< also e-mailed to the client's contacts (kind "critical")
};

/// Facts about an audit event the chain does not hold but the mapping needs, looked up by
/// the dispatcher.
struct EventFacts {
  bool secret_rotated = false;   ///< client.secret_issue superseded an older secret
  std::string removed_key_kind;  ///< client.key_remove: "certificate" or "jwk"
  std::string order_client_id;   ///< production_order.*: the test client the order is about
};

/// The event an audit event produces, or nullopt for actions that change nothing anyone
/// outside reacts to (audit checkpoints and pruning, the notifications' own bookkeeping).
/// Known actions get their catalogued type (kEventTypes); an action not in the catalogue
/// keeps its own name, so a new audit-worthy change is never silently dropped. Pure.
std::optional<NotificationEvent> EventFromAudit(const SealedAuditEvent& audit,
                                                const EventFacts& facts = {});

/// Every event type a subscription may name (besides "*").
const std::vector<std::string>& EventTypes();
bool IsKnownEventType(std::string_view type);

/// The JSON body of a webhook delivery: {id, type, occurred_at, organisation, client_id?,
/// data}.
std::string EventJson(const NotificationEvent& e);

/// `detail` without members that could carry a credential (names containing password,
/// token, hash, zip, package_base64, or `secret` other than secret_id/secret_prefix/
/// secret_expires_at), recursively.
Poco::JSON::Object::Ptr ScrubDetail(const Poco::JSON::Object& detail);

// ---- expiry reminders ------------------------------------------------------------------

using SysTime = std::chrono::system_clock::time_point;

/// The default reminder thresholds, in days before expiry.
inline const std::vector<int> kDefaultReminderDays{60, 30, 14, 7, 1};

/// The most urgent threshold (smallest number of days) that is due for a credential
/// expiring at `expires_at` when it is `now`: the least t with expires_at - now <= t days.
/// nullopt when none is due yet or the credential has expired. After downtime only this one
/// is sent, not every missed one.
std::optional<int> DueThreshold(SysTime expires_at, SysTime now, const std::vector<int>& days);

/// Whether the reminder for `due` must still go out, given the smallest threshold already
/// sent for the credential (nullopt: none): not when that one or a more urgent one was sent.
bool ReminderOutstanding(int due, std::optional<int> smallest_sent);

/// Parses `notify.reminder_days` ("60,30,14,7,1"): positive, distinct, at most 400. Throws
/// AppError(kValidation) naming what is wrong.
std::vector<int> ParseReminderDays(std::string_view text);

// ---- webhooks --------------------------------------------------------------------------

/// A webhook target as parsed from its URL.
struct WebhookTarget {
  std::string scheme;  ///< http | https
  std::string host;    ///< without brackets for IPv6
  int port = 0;
  std::string path_and_query;
};

/// Why a target is refused (empty: allowed).
struct TargetCheck {
  std::string code;  ///< webhook_url_invalid | webhook_https_required | webhook_target_not_allowed
  std::string message;
  bool ok() const { return code.empty(); }
};

/// Parses an absolute http(s) URL without user info or fragment; nullopt when it is not one.
std::optional<WebhookTarget> ParseWebhookUrl(std::string_view url);

/// The rules of a target URL before any name is resolved: https unless `allow_http`; a
/// literal address or `localhost` must be public unless `allow_private`.
TargetCheck CheckWebhookUrl(std::string_view url, bool allow_http, bool allow_private);

/// True for loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast,
/// broadcast and reserved addresses, IPv4-mapped IPv6 by its IPv4 part. `address` is a
/// numeric IPv4 or IPv6 text; anything that does not parse counts as not public.
bool IsNonPublicAddress(std::string_view address);

/// A new subscription secret: `whsec_` + base64 of 32 random bytes.
std::string NewWebhookSecret();

/// The Standard Webhooks signature header value: `v1,` + base64(HMAC-SHA256(key,
/// `<id>.<timestamp>.<body>`)), key = base64-decoded part of `secret` after `whsec_`.
std::string WebhookSignature(std::string_view secret, std::string_view id, int64_t timestamp,
                             std::string_view body);

}  // namespace onboard::domain
