#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto.hpp"

namespace onboard::domain {

/// What is stored of a client secret: never the secret itself.
struct SecretRecord {
  std::string secret_id;
  std::string hash;    ///< hex HMAC-SHA-256(pepper, secret)
  std::string prefix;  ///< first characters, for support ("which secret is this?")
  int64_t expires_at_epoch = 0;
  std::string created_by;
};

/// A freshly generated secret and its record. The secret is shown once (test clients)
/// or packed for delivery (production), then wiped.
struct IssuedSecret {
  SecretRecord record;
  crypto::SecretString secret;
};

/// Most days a client secret may live (DOMAIN.md).
inline constexpr int kMaxSecretLifetimeDays = 360;

/// Generates a 256-bit secret from the CSPRNG (43 base64url characters) valid for
/// `lifetime_days` (1..360) from `now_epoch`. Throws AppError(kInternal) when the
/// pepper is missing.
IssuedSecret NewClientSecret(std::string_view pepper, int lifetime_days, int64_t now_epoch,
                             std::string created_by);

/// Keyed hash of a presented secret. A slow password hash buys nothing for 256-bit random
/// values and would cost the provider's hot path.
std::string HashClientSecret(std::string_view pepper, std::string_view secret);

/// Constant-time check of a presented secret against a stored hash.
bool VerifyClientSecret(std::string_view pepper, std::string_view secret,
                        std::string_view stored_hash);

}  // namespace onboard::domain
