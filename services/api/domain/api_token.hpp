#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "crypto.hpp"
#include "roles.hpp"
#include "unit_of_work.hpp"

namespace onboard::domain {

/// An API token's record. The token itself is never stored: only its SHA-256.
struct ApiToken {
  std::string id;
  std::string name;
  Role role = Role::kOperator;
  std::string prefix;  ///< first characters of the token, for recognising it in lists
  std::string created_by;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string>
      organisation;  ///< portal tokens only: the one organisation it acts for
};

/// A newly created token: `secret` is shown once and never again.
struct IssuedToken {
  ApiToken token;
  crypto::SecretString secret;
};

/// Result of looking a token up by hash.
struct TokenLookup {
  ApiToken token;
  bool expired = false;
  bool revoked = false;
};

/// Persistence of API tokens. Mutations write `audit` in the same transaction.
class TokenStore {
 public:
  virtual ~TokenStore() = default;
  /// Writes the token in `unit` (its audit event is the caller's to record). Throws
  /// AppError(kConflict) when an active token has the same name.
  virtual ApiToken Create(UnitOfWork& unit, const ApiToken& token, const std::string& token_hash,
                          std::optional<int> expires_in_days) = 0;
  virtual std::optional<TokenLookup> FindByHash(const std::string& token_hash) = 0;
  virtual std::vector<ApiToken> List() = 0;
  /// Revokes in `unit`. Throws AppError(kNotFound) when no active token has this id.
  virtual ApiToken Revoke(UnitOfWork& unit, const std::string& id) = 0;
  /// Records that the token was used now (the store may coalesce writes).
  virtual void TouchLastUsed(const std::string& id) = 0;
};

inline constexpr std::string_view kTokenPrefix = "onb_";

/// A fresh token: "onb_" + 43 base64url characters (256 bits from the CSPRNG).
crypto::SecretString GenerateTokenSecret();
/// Hex SHA-256 of the token. Tokens carry 256 random bits, so a fast hash is enough.
std::string HashToken(std::string_view token);
/// The displayable prefix: "onb_" + the first 6 random characters.
std::string TokenDisplayPrefix(std::string_view token);

/// Validates a new token's name (1-100 chars of [A-Za-z0-9._@-]) and expiry
/// (1-3650 days); throws AppError(kValidation).
void ValidateNewToken(const std::string& name, std::optional<int> expires_in_days);

}  // namespace onboard::domain
