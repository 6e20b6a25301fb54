#pragma once

// Delivery of issued secrets by onboard-courier (issue #5, transport half): the outbox rows
// it claims, what one send attempt came to, how long to wait before the next one, and the
// SMS states the provider's status callbacks move a delivery through. Plain C++.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_event.hpp"

namespace onboard::domain {

enum class OutboxKind { kSms, kEmail, kSmsRedact };
std::string_view ToString(OutboxKind kind) noexcept;
/// False for anything but "sms", "email" and "sms_redact".
bool ParseOutboxKind(std::string_view text, OutboxKind& out) noexcept;

using SystemTime = std::chrono::system_clock::time_point;

/// One outbox row claimed by a courier. The payload is still sealed (AES-GCM under the
/// KEK named by payload_kek_id; AAD `onboard-outbox|<delivery_id>|<kind>`).
struct OutboxItem {
  int64_t id = 0;
  std::string delivery_id;
  OutboxKind kind = OutboxKind::kSms;
  std::string recipient;  ///< E.164 number or e-mail address
  std::string payload_kek_id;
  std::string sealed_payload;  ///< empty for sms_redact
  int attempts = 0;            ///< attempts begun before this claim
  SystemTime deadline_at;
  /// Set when an earlier attempt began and its outcome was never recorded: the message may
  /// have gone out, so it must be looked up before sending again.
  std::optional<SystemTime> attempt_started_at;
  std::string provider_ref;  ///< for sms_redact: the message sid to redact
  std::string organisation;  ///< of the delivery (for audit)
  /// The delivery's sms_sid: set once a signed status report about this delivery's SMS came
  /// in, which proves an SMS went out even when this row never learnt the answer.
  std::string delivery_sms_sid;
};

/// What one attempt at the provider came to.
enum class SendOutcome {
  kAccepted,   ///< the provider took it (provider_ref says under which id)
  kRetryable,  ///< certainly not accepted (refused connection, 429, ...): try again later
  kUnknown,    ///< may have been accepted (timeout after sending, 5xx): look it up first
  kPermanent,  ///< refused for good (invalid number, unsubscribed, ...)
};
std::string_view ToString(SendOutcome outcome) noexcept;

struct SendResult {
  SendOutcome outcome = SendOutcome::kRetryable;
  std::string provider_ref;   ///< message sid / Message-ID when accepted
  std::string status;         ///< provider's status when accepted (e.g. "queued")
  std::string error_code;     ///< provider's code (e.g. "21211"), or ours ("timeout", "connect")
  std::string error_message;  ///< provider's message; never contains the body
  int http_status = 0;
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a 429's Retry-After
};

/// How long to wait before attempt number `attempts + 1` after `attempts` failed ones:
/// min(max, base * 2^(attempts-1)) with "equal jitter" (half fixed, half random: `jitter`
/// in [0, 1) picks where), but never less than the provider's `retry_after`.
std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max, double jitter,
                                     std::optional<std::chrono::milliseconds> retry_after = {});

/// deliveries.sms_state.
enum class SmsState { kQueued, kSending, kSent, kDelivered, kUndelivered, kFailed };
std::string_view ToString(SmsState state) noexcept;
bool ParseSmsState(std::string_view text, SmsState& out) noexcept;
/// The state a provider status (`MessageStatus` of a callback) puts the SMS in, or nullopt
/// for statuses that say nothing about delivery (e.g. "receiving").
std::optional<SmsState> SmsStateFromProviderStatus(std::string_view status) noexcept;
/// Delivery reports may arrive late, twice or out of order: a report only moves the state
/// forward (queued < sending < sent < delivered/undelivered/failed, the last three final).
bool SmsStateAdvances(SmsState from, SmsState to) noexcept;

/// The courier's view of the outbox. Every method is its own transaction; the Record*
/// methods update the outbox row, the delivery and append `audit` together, and only when
/// the row is still claimed by `worker` and in state `sending` (false otherwise: the lease
/// was lost or the row was cancelled meanwhile). Implementations throw AppError
/// (kUnavailable when the database is unreachable).
class CourierStore {
 public:
  virtual ~CourierStore() = default;
  /// Claims up to `limit` due rows (pending and due, or sending with an expired lease) with
  /// FOR UPDATE SKIP LOCKED, marks them sending for `worker` until now + `lease`.
  virtual std::vector<OutboxItem> Claim(const std::string& worker, int limit,
                                        std::chrono::milliseconds lease) = 0;
  /// Marks the start of an attempt (attempt_started_at, attempts + 1, lease renewed), committed
  /// before anything is sent. False when the row is no longer this worker's, or (SMS and
  /// e-mail) its delivery was revoked or reissued meanwhile: then nothing may be sent.
  virtual bool BeginAttempt(const OutboxItem& item, const std::string& worker,
                            std::chrono::milliseconds lease) = 0;
  /// Cancels this worker's claimed SMS or e-mail row whose delivery was revoked (payload
  /// erased, `audit` appended, one transaction). False when the row is not such a row.
  virtual bool CancelRevoked(const OutboxItem& item, const std::string& worker,
                             const AuditEvent& audit) = 0;
  /// Done: provider_ref stored, payload erased; the delivery's SMS/e-mail step recorded.
  virtual bool RecordSent(const OutboxItem& item, const std::string& worker,
                          const std::string& provider_ref, const AuditEvent& audit) = 0;
  /// Failed for good: provider code/message stored, payload erased.
  virtual bool RecordFailure(const OutboxItem& item, const std::string& worker,
                             const std::string& code, const std::string& message,
                             const AuditEvent& audit) = 0;
  /// Back to pending after `delay`; `outcome_unknown` keeps attempt_started_at so the next
  /// attempt looks the message up first.
  virtual bool RecordRetry(const OutboxItem& item, const std::string& worker,
                           std::chrono::milliseconds delay, bool outcome_unknown,
                           const std::string& code, const std::string& message) = 0;
};

/// What a status callback did.
enum class CallbackEffect {
  kUnknownMessage,  ///< no delivery with that message
  kUnchanged,       ///< a repeated or stale report
  kAdvanced,        ///< the SMS state moved forward (and was audited)
};

/// One delivery report from the SMS provider, already authenticated.
struct SmsStatusReport {
  std::string delivery_id;  ///< from the callback URL; may be empty (then found by sid)
  std::string message_sid;
  SmsState state = SmsState::kQueued;
  std::string provider_status;
  std::string error_code;
};

/// Applies SMS status callbacks (POST /v1/callbacks/sms).
class SmsCallbackStore {
 public:
  virtual ~SmsCallbackStore() = default;
  /// In one transaction: locks the delivery, moves sms_state forward when the report
  /// advances it (SmsStateAdvances), appends `audit` (its target and detail completed by the
  /// store), and after `delivered` queues an `sms_redact` outbox row for the message with
  /// deadline now + `redact_deadline`. A repeated report changes nothing.
  virtual CallbackEffect Apply(const SmsStatusReport& report, AuditEvent audit,
                               std::chrono::minutes redact_deadline) = 0;
};

}  // namespace onboard::domain
