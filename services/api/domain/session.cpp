#include "session.hpp"

#include <algorithm>

namespace onboard::domain {

crypto::SecretString GenerateSessionSecret() { return crypto::RandomToken(kSessionSecretPrefix); }

bool LooksLikeSessionSecret(std::string_view text) noexcept {
  if (text.size() != kSessionSecretPrefix.size() + 43 || text.substr(0, 5) != kSessionSecretPrefix)
    return false;
  return std::all_of(text.begin() + 5, text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string HashSessionSecret(std::string_view secret) { return crypto::Sha256Hex(secret); }

std::string CsrfTokenFor(std::string_view secret) {
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret, "onboard-csrf-v1"));
}

bool RoleMaySignIn(Role role) noexcept { return role == Role::kOperator || role == Role::kAuditor; }

}  // namespace onboard::domain
