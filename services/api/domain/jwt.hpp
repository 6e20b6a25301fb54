#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/// Compact JWS tokens (RFC 7515/7519) from other issuers: access tokens of API callers
/// (RFC 9068) and ID tokens of the operators' identity provider. Parsing only; the keys
/// and the claim rules live in issuer_keys.hpp and access_token.hpp. Plain C++, no I/O.
namespace onboard::domain::jwt {

/// A refused token. `reason` is for the log and never holds the token or a part of it.
class Refused : public std::runtime_error {
 public:
  explicit Refused(const std::string& reason) : std::runtime_error(reason) {}
};

/// A compact JWS split and decoded, not yet verified.
struct Parts {
  std::string alg;
  std::string kid;
  std::string typ;
  Poco::JSON::Object::Ptr header;
  Poco::JSON::Object::Ptr claims;
  std::string signing_input;  ///< header.payload as sent
  std::string signature;      ///< decoded bytes
};

/// Splits and decodes `token`. Throws Refused when it is not three base64url parts with a
/// JSON object header and claims set, when it is longer than 16 KiB, or when the header
/// names critical parameters (`crit`).
Parts Parse(std::string_view token);

/// A string claim, or empty when absent. Throws Refused when present and not a string.
std::string StringClaim(const Poco::JSON::Object& claims, const char* name);

/// A NumericDate claim, or nullopt when absent. Throws Refused when not a number.
std::optional<int64_t> TimeClaim(const Poco::JSON::Object& claims, const char* name);

/// `aud` as a list (a string or an array of strings); empty when absent.
std::vector<std::string> Audiences(const Poco::JSON::Object& claims);

/// True when `alg` is one this service never accepts from another issuer: `none`, any
/// HMAC (`HS*`, which a public key used as the secret would forge) or an unknown name.
bool IsForbiddenAlg(std::string_view alg) noexcept;

}  // namespace onboard::domain::jwt
