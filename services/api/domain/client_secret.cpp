#include "client_secret.hpp"

#include <algorithm>

#include "error.hpp"

namespace onboard::domain {

IssuedSecret NewClientSecret(std::string_view pepper, int lifetime_days, int64_t now_epoch,
                             std::string created_by) {
  if (pepper.empty()) {
    throw AppError(ErrorCode::kInternal, "internal error", "secrets.pepper is not configured");
  }
  const int days = std::clamp(lifetime_days, 1, kMaxSecretLifetimeDays);
  IssuedSecret out{SecretRecord{}, crypto::RandomToken("")};
  out.record.secret_id = crypto::NewUuid();
  out.record.hash = HashClientSecret(pepper, out.secret.reveal());
  out.record.prefix = out.secret.reveal().substr(0, 6);
  out.record.expires_at_epoch = now_epoch + static_cast<int64_t>(days) * 86400;
  out.record.created_by = std::move(created_by);
  return out;
}

std::string HashClientSecret(std::string_view pepper, std::string_view secret) {
  return crypto::Hex(crypto::HmacSha256(pepper, secret));
}

bool VerifyClientSecret(std::string_view pepper, std::string_view secret,
                        std::string_view stored_hash) {
  return crypto::ConstantTimeEqual(HashClientSecret(pepper, secret), stored_hash);
}

}  // namespace onboard::domain
