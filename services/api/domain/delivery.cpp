#include "delivery.hpp"

#include <algorithm>

#include "enum_names.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<DeliveryChannel> kDeliveryChannels[] = {
    {DeliveryChannel::kEmail, "email"}, {DeliveryChannel::kDownload, "download"}};
}  // namespace

std::string_view ToString(DeliveryChannel c) noexcept {
  return NameOf(kDeliveryChannels, c, "download");
}

std::optional<DeliveryChannel> DeliveryChannelFromString(std::string_view text) noexcept {
  return ValueOf(kDeliveryChannels, text);
}

bool IsAcceptedMobile(std::string_view number, const std::vector<MobilePrefix>& prefixes) noexcept {
  if (number.size() < 2 || number.size() > 16 || number[0] != '+') return false;
  if (!std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  for (const auto& p : prefixes) {
    if (number.rfind(p.prefix, 0) != 0) continue;
    const int rest = static_cast<int>(number.size() - p.prefix.size());
    if (rest >= p.min_digits && rest <= p.max_digits) return true;
  }
  return false;
}

std::string MaskMobile(std::string_view number) {
  std::string out(number);
  const std::size_t keep = 3;
  const std::size_t start = out.rfind("+47", 0) == 0 ? 3 : std::min<std::size_t>(out.size(), 3);
  for (std::size_t i = start; i + keep < out.size(); ++i) out[i] = '*';
  return out;
}

std::string SecretListState(const SecretInfo& s) {
  if (!s.revoked_at.empty()) return "revoked";
  if (s.expired) return "expired";
  if (!s.superseded_at.empty()) return "grace";
  return "active";
}

std::vector<ExpiryChange> PlanRotation(const std::vector<ValidSecret>& valid, int64_t now_epoch,
                                       int grace_days, int max_old) {
  std::vector<ExpiryChange> out;
  const int64_t grace_end = now_epoch + static_cast<int64_t>(std::max(grace_days, 0)) * 86400;
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const int64_t target = static_cast<int>(i) < std::max(max_old, 0)
                               ? std::min(valid[i].expires_at_epoch, grace_end)
                               : std::min(valid[i].expires_at_epoch, now_epoch);
    if (target != valid[i].expires_at_epoch) out.push_back({valid[i].secret_id, target});
  }
  return out;
}

bool DeliveryCompleted(const Delivery& d) {
  const bool package_arrived = d.package_state == "downloaded" || d.package_state == "emailed";
  const bool password_arrived = d.sms_state == "sent" || d.sms_state == "delivered";
  return package_arrived && password_arrived;
}

std::string OverallDeliveryState(const Delivery& d) {
  if (!d.superseded_by.empty()) return "superseded";
  if (!d.revoked_at.empty()) return "revoked";
  if (d.sms_state == "failed" || d.sms_state == "undelivered" || d.email_state == "failed")
    return "failed";
  if (DeliveryCompleted(d)) return "delivered";
  if (d.package_state == "expired" || d.package_state == "destroyed") return "expired";
  return "in_progress";
}

}  // namespace onboard::domain
