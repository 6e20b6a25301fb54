#include "courier.hpp"

#include <algorithm>
#include <cmath>

namespace onboard::domain {

std::string_view ToString(OutboxKind kind) noexcept {
  switch (kind) {
    case OutboxKind::kSms:
      return "sms";
    case OutboxKind::kEmail:
      return "email";
    case OutboxKind::kSmsRedact:
      return "sms_redact";
  }
  return "sms";
}

bool ParseOutboxKind(std::string_view text, OutboxKind& out) noexcept {
  if (text == "sms")
    out = OutboxKind::kSms;
  else if (text == "email")
    out = OutboxKind::kEmail;
  else if (text == "sms_redact")
    out = OutboxKind::kSmsRedact;
  else
    return false;
  return true;
}

std::string_view ToString(SendOutcome outcome) noexcept {
  switch (outcome) {
    case SendOutcome::kAccepted:
      return "accepted";
    case SendOutcome::kRetryable:
      return "retryable";
    case SendOutcome::kUnknown:
      return "unknown";
    case SendOutcome::kPermanent:
      return "permanent";
  }
  return "unknown";
}

std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max, double jitter,
                                     std::optional<std::chrono::milliseconds> retry_after) {
  const int doublings = std::clamp(attempts - 1, 0, 40);
  const double full = std::min(static_cast<double>(max.count()),
                               static_cast<double>(base.count()) * std::ldexp(1.0, doublings));
  const double j = std::clamp(jitter, 0.0, 1.0);
  auto delay = std::chrono::milliseconds(static_cast<int64_t>(full / 2 + j * full / 2));
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return delay;
}

std::string_view ToString(SmsState state) noexcept {
  switch (state) {
    case SmsState::kQueued:
      return "queued";
    case SmsState::kSending:
      return "sending";
    case SmsState::kSent:
      return "sent";
    case SmsState::kDelivered:
      return "delivered";
    case SmsState::kUndelivered:
      return "undelivered";
    case SmsState::kFailed:
      return "failed";
  }
  return "queued";
}

bool ParseSmsState(std::string_view text, SmsState& out) noexcept {
  for (SmsState s : {SmsState::kQueued, SmsState::kSending, SmsState::kSent, SmsState::kDelivered,
                     SmsState::kUndelivered, SmsState::kFailed}) {
    if (ToString(s) == text) {
      out = s;
      return true;
    }
  }
  return false;
}

std::optional<SmsState> SmsStateFromProviderStatus(std::string_view status) noexcept {
  if (status == "accepted" || status == "scheduled" || status == "queued") return SmsState::kQueued;
  if (status == "sending") return SmsState::kSending;
  if (status == "sent") return SmsState::kSent;
  if (status == "delivered" || status == "read") return SmsState::kDelivered;
  if (status == "undelivered") return SmsState::kUndelivered;
  if (status == "failed" || status == "canceled") return SmsState::kFailed;
  return std::nullopt;
}

namespace {
int Rank(SmsState s) noexcept {
  switch (s) {
    case SmsState::kQueued:
      return 0;
    case SmsState::kSending:
      return 1;
    case SmsState::kSent:
      return 2;
    case SmsState::kDelivered:
    case SmsState::kUndelivered:
    case SmsState::kFailed:
      return 3;
  }
  return 0;
}
}  // namespace

bool IsFinal(SmsState state) noexcept { return Rank(state) == 3; }

bool SmsStateAdvances(SmsState from, SmsState to) noexcept { return Rank(to) > Rank(from); }

}  // namespace onboard::domain
