#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_event.hpp"
#include "client_secret.hpp"
#include "config.hpp"
#include "unit_of_work.hpp"

namespace onboard::domain {

/// How the zip travels. The password always goes by SMS.
enum class DeliveryChannel { kEmail, kDownload };

std::string_view ToString(DeliveryChannel c) noexcept;
std::optional<DeliveryChannel> DeliveryChannelFromString(std::string_view text) noexcept;

/// True for an E.164 number (`+` and digits only) that starts with one of `prefixes` and
/// has the number of digits after it that the prefix allows (+47: exactly 8).
bool IsAcceptedMobile(std::string_view number, const std::vector<MobilePrefix>& prefixes) noexcept;

/// "+47*****678": the number with all but the last three digits masked (for logs).
std::string MaskMobile(std::string_view number);

/// One outbox message, already sealed: what the courier needs and nothing in clear.
struct OutboxMessage {
  std::string kind;       ///< "sms" or "email"
  std::string recipient;  ///< E.164 number or e-mail address
  std::string payload_kek_id;
  std::string payload;  ///< AES-256-GCM sealed JSON, AAD onboard-outbox|<delivery_id>|<kind>
};

/// Everything one issuance writes, prepared outside the transaction (secret generated,
/// zip built and sealed, messages rendered and sealed) so the transaction only stores.
struct SecretIssuance {
  std::string client_id;
  SecretRecord secret;  ///< the hash, never the secret
  /// Absent for a test client whose secret is shown in the response (no delivery).
  struct DeliveryRow {
    std::string id;
    std::string organisation;
    std::string order_id;  ///< empty when not issued by an order
    std::string environment;
    DeliveryChannel channel = DeliveryChannel::kDownload;
    std::string mobile;
    std::string email;           ///< empty when none is known
    std::string package_kek_id;  ///< download channel only
    std::string package;         ///< sealed zip, AAD onboard-package|<id>; download channel only
    int64_t package_expires_at_epoch = 0;
    std::vector<OutboxMessage> outbox;
  };
  std::optional<DeliveryRow> delivery;
  /// Rotation: the previous valid secrets stay valid this long, at most `max_old` of them.
  int grace_days = 7;
  int max_old = 5;
  /// The delivery this one replaces (reissue): its undelivered secret is revoked, its
  /// pending messages cancelled, its package destroyed, and superseded_by set.
  std::string supersedes_delivery_id;
  AuditEvent audit;  ///< the issuance's event (never the secret or the password)
};

/// A stored secret as the listing shows it (no hash).
struct SecretInfo {
  std::string secret_id;
  std::string prefix;
  std::string created_at;
  std::string expires_at;
  std::string last_used_at;   ///< empty when never used
  std::string revoked_at;     ///< empty when not revoked
  std::string superseded_at;  ///< empty when no newer secret replaced it
  bool expired = false;       ///< expires_at has passed (by the database clock)
  std::string delivery_id;    ///< empty for a secret shown once (test clients)
};

/// The listing state of a secret: "revoked", "expired", "grace" (replaced by a newer one
/// but still valid until expires_at) or "active". Authentication itself needs no state
/// beyond the row: valid iff state = 'active' AND revoked_at IS NULL AND expires_at > now().
std::string SecretListState(const SecretInfo& s);

/// One valid secret of a client as rotation sees it, newest first.
struct ValidSecret {
  std::string secret_id;
  int64_t expires_at_epoch = 0;
};

/// New expiry of an existing valid secret after a rotation.
struct ExpiryChange {
  std::string secret_id;
  int64_t expires_at_epoch = 0;
};

/// Rotation with overlap. `valid` are the client's currently valid secrets, newest first,
/// before the new one is added. Each keeps at most `grace_days` from `now` (an earlier
/// expiry stays); beyond the `max_old` newest, the rest expire at `now`. Returns the
/// changes only (secrets whose expiry moves). Pure.
std::vector<ExpiryChange> PlanRotation(const std::vector<ValidSecret>& valid, int64_t now_epoch,
                                       int grace_days, int max_old);

/// The courier's progress on one message of a delivery (its outbox row): what the
/// delivery view shows while a message is retried (provider or SMTP server failing).
struct DeliveryTransport {
  std::string kind;   ///< sms | email
  std::string state;  ///< pending | sending | done | failed | cancelled
  int attempts = 0;
  std::string last_error_code;  ///< empty when the last attempt did not fail
  std::string last_error_message;
  std::string next_attempt_at;  ///< RFC 3339
};

/// The stored state of a delivery and its steps.
struct Delivery {
  std::string id;
  std::string client_id;
  std::string secret_id;
  std::string organisation;
  std::string order_id;
  std::string environment;
  std::string channel;
  std::string mobile;
  std::string email;
  std::string package_state;
  std::string package_expires_at;
  std::string package_destroyed_at;
  std::string downloaded_at;
  std::string downloaded_ip;
  int download_attempts = 0;
  std::string email_state;
  std::string email_sent_at;
  std::string email_error;
  std::string sms_state;
  std::string sms_sid;
  std::string sms_error_code;
  std::string sms_error_message;
  std::string sms_updated_at;
  std::string sms_redacted_at;
  std::string revoked_at;
  std::string superseded_by;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<DeliveryTransport> transport;  ///< filled by FindDelivery only
};

/// The delivery as one word: "superseded" (reissued), "revoked", "failed" (SMS or e-mail
/// failed for good), "expired" (the package was never fetched), "delivered" (the package
/// reached the owner and the SMS was sent or delivered), else "in_progress". Pure.
std::string OverallDeliveryState(const Delivery& d);

/// True when the delivery reached its owner (package downloaded or e-mailed, SMS sent or
/// delivered): a reissue then leaves its secret to normal rotation instead of revoking it.
bool DeliveryCompleted(const Delivery& d);

/// The contact a production order gave for the delivery of its client's secret.
struct OrderContact {
  std::string order_id;
  std::string mobile;
  std::string email;
};

/// Outcome of a download attempt.
enum class DownloadOutcome { kDelivered, kAlreadyDownloaded, kExpired, kNotDownloadable };

/// The package of one download, opened.
struct DownloadResult {
  DownloadOutcome outcome = DownloadOutcome::kExpired;
  crypto::SecretString zip;  ///< only for kDelivered
};

/// Persistence of secrets and deliveries. A write goes into the caller's unit of work and
/// commits with it and its audit event.
class SecretStore {
 public:
  virtual ~SecretStore() = default;
  /// Stores the issuance in `unit`: rotation of the client's valid secrets, the new
  /// secret's hash, the delivery with its sealed package and outbox messages, the
  /// production client's activation (awaiting_credentials -> active), and the audit event.
  virtual void Issue(UnitOfWork& unit, const SecretIssuance& issuance) = 0;
  virtual std::vector<SecretInfo> ListSecrets(const std::string& client_id) = 0;
  /// Revokes one secret at once (and destroys its undelivered package and cancels its
  /// pending messages) in `unit`. False when the client has no such secret.
  virtual bool RevokeSecret(UnitOfWork& unit, const std::string& client_id,
                            const std::string& secret_id, const AuditEvent& audit) = 0;
  virtual std::optional<Delivery> FindDelivery(const std::string& delivery_id) = 0;
  /// Every delivery of a client, newest first (for support).
  virtual std::vector<Delivery> ListDeliveries(const std::string& client_id) = 0;
  /// The newest production order that created `client_id`: {order id, mobile, e-mail}.
  virtual std::optional<OrderContact> FindOrderContact(const std::string& client_id) = 0;
  /// The one-time download, in one transaction: a stored, unexpired package is opened,
  /// destroyed and returned (kDelivered); an expired one is destroyed (kExpired); a second
  /// attempt after a download (kAlreadyDownloaded) records an alarm. Every attempt is
  /// counted and audited (`audit` gives actor and organisation; action and detail are set
  /// here). Throws AppError(kNotFound) for no such delivery.
  virtual DownloadResult TakePackage(const std::string& delivery_id, const std::string& ip,
                                     const AuditEvent& audit) = 0;
  /// Destroys packages whose time ran out (at most `limit`), each with an audit event;
  /// returns how many.
  virtual int SweepExpiredPackages(int limit) = 0;
};

}  // namespace onboard::domain
