#include "api_token.hpp"

#include <algorithm>

#include "error.hpp"

namespace onboard::domain {

crypto::SecretString GenerateTokenSecret() { return crypto::RandomToken(kTokenPrefix); }

std::string HashToken(std::string_view token) { return crypto::Sha256Hex(token); }

std::string TokenDisplayPrefix(std::string_view token) {
  return std::string(token.substr(0, std::min<std::size_t>(token.size(), kTokenPrefix.size() + 6)));
}

void ValidateNewToken(const std::string& name, std::optional<int> expires_in_days) {
  std::vector<FieldError> errors;
  const bool name_ok =
      !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-' || c == '@';
      });
  if (!name_ok) {
    errors.push_back(
        {"name", "invalid_name", "name must be 1-100 characters of letters, digits and . _ - @"});
  }
  if (expires_in_days && (*expires_in_days < 1 || *expires_in_days > 3650)) {
    errors.push_back(
        {"expires_in_days", "out_of_range", "expires_in_days must be between 1 and 3650"});
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the token request is invalid", "", errors);
}

}  // namespace onboard::domain
