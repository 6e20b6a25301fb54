#include "courier.hpp"

#include <algorithm>
#include <cmath>

#include "enum_names.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<OutboxKind> kOutboxKinds[] = {{OutboxKind::kSms, "sms"},
                                                 {OutboxKind::kEmail, "email"},
                                                 {OutboxKind::kSmsRedact, "sms_redact"}};
constexpr EnumName<SendOutcome> kSendOutcomes[] = {{SendOutcome::kAccepted, "accepted"},
                                                   {SendOutcome::kRetryable, "retryable"},
                                                   {SendOutcome::kUnknown, "unknown"},
                                                   {SendOutcome::kPermanent, "permanent"}};
constexpr EnumName<SmsState> kSmsStates[] = {{SmsState::kQueued, "queued"},
                                             {SmsState::kSending, "sending"},
                                             {SmsState::kSent, "sent"},
                                             {SmsState::kDelivered, "delivered"},
                                             {SmsState::kUndelivered, "undelivered"},
                                             {SmsState::kFailed, "failed"}};
}  // namespace

std::string_view ToString(OutboxKind kind) noexcept { return NameOf(kOutboxKinds, kind, "sms"); }

bool ParseOutboxKind(std::string_view text, OutboxKind& out) noexcept {
  return ParseName(kOutboxKinds, text, out);
}

std::string_view ToString(SendOutcome outcome) noexcept {
  return NameOf(kSendOutcomes, outcome, "unknown");
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

std::string_view ToString(SmsState state) noexcept { return NameOf(kSmsStates, state, "queued"); }

bool ParseSmsState(std::string_view text, SmsState& out) noexcept {
  return ParseName(kSmsStates, text, out);
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

bool SmsStateAdvances(SmsState from, SmsState to) noexcept { return Rank(to) > Rank(from); }

}  // namespace onboard::domain
