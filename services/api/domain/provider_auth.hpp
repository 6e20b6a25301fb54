#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "client.hpp"
#include "client_key.hpp"
#include "crypto.hpp"
#include "jose.hpp"

/// What the provider runtime asks: does this token request's client authentication hold?
/// The rules of DOMAIN.md ("private_key_jwt client authentication") and RFC 6749 section
/// 2.3, as pure functions over a client's runtime snapshot.
namespace onboard::domain {

/// A refused client authentication, in RFC 6749 terms (`invalid_client`, or
/// `invalid_request` for a malformed request). `description` never holds a secret.
class ClientAuthFailure : public std::runtime_error {
 public:
  ClientAuthFailure(std::string error, std::string description)
      : std::runtime_error(description),
        error_(std::move(error)),
        description_(std::move(description)) {}
  const std::string& error() const noexcept { return error_; }
  const std::string& description() const noexcept { return description_; }

 private:
  std::string error_;
  std::string description_;
};

/// A secret that may authenticate (state active, not revoked, not expired when read).
struct RuntimeSecret {
  std::string secret_id;
  std::string hash;  ///< hex HMAC-SHA-256(pepper, secret)
  int64_t expires_at = 0;
};

/// A key that may verify assertions, parsed once.
struct RuntimeKey {
  std::string key_id;  ///< client_keys.id; empty for a key from the client's metadata `jwks`
  std::string kid;
  std::string alg;  ///< the registered alg of a bare JWK; empty: any accepted alg of its type
  std::string thumbprint;  ///< x5t#S256 of a bound certificate
  int64_t not_before = 0;
  int64_t not_after = 0;  ///< 0: no expiry of its own
  jose::PublicKey key;
};

/// Everything read from the database about one client for the provider API.
struct RuntimeRecord {
  Client client;
  std::vector<RuntimeSecret> secrets;
  std::vector<ClientKey> keys;
  std::string secrets_expire_at;  ///< RFC 3339 of the newest active secret's expiry, or empty
};

/// One client as the provider sees it, built once per cache fill and shared read-only.
struct ClientRuntime {
  std::string client_id;
  ClientState state = ClientState::kActive;
  Environment environment = Environment::kTest;
  AuthMethod method = AuthMethod::kClientSecretBasic;
  std::vector<RuntimeSecret> secrets;
  std::vector<RuntimeKey> keys;
  std::string jwks_json;  ///< {"keys": [...]} with x5c
  std::string document;   ///< JSON of GET /v1/provider/clients/{id}
  std::string etag;       ///< strong ETag of `document`
};

/// What the provider API reads and records. Thread-safe.
class ProviderStore {
 public:
  virtual ~ProviderStore() = default;
  /// The client with its usable secrets and live keys, or std::nullopt.
  virtual std::optional<RuntimeRecord> Load(const std::string& client_id) = 0;
  /// Records an accepted assertion id until `expires_epoch`; false when it is recorded
  /// already (a replay). One round trip, shared by every instance.
  virtual bool RememberJti(const std::string& client_id, const std::string& jti,
                           int64_t expires_epoch) = 0;
  /// Deletes expired assertion ids; returns how many.
  virtual int64_t PurgeExpiredJtis() = 0;
  virtual void TouchSecret(const std::string& secret_id) = 0;
  virtual void TouchKey(const std::string& key_id) = 0;
};

/// Builds the snapshot: parses every key once (a key that does not parse is left out),
/// merges the metadata `jwks`, and renders the provider document and JWK Set.
ClientRuntime BuildRuntime(const RuntimeRecord& record);

/// The public keys of a client as a JWK Set text (stored keys, then metadata `jwks`).
std::string JwksJson(const std::vector<ClientKey>& keys, const ClientMetadata& metadata);

/// Rules of private_key_jwt client assertions.
struct AssertionPolicy {
  std::vector<jose::Alg> algs = {jose::Alg::kRS256, jose::Alg::kRS384, jose::Alg::kRS512};
  int64_t max_lifetime_s = 120;
  int64_t skew_s = 10;
};

inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
inline constexpr std::size_t kMaxJtiLength = 256;

/// A compact JWS client assertion split and decoded, not yet verified.
struct ClientAssertion {
  std::string alg;
  std::string kid;
  std::string x5c_der;  ///< first x5c certificate (DER), if any
  std::string iss, sub, jti;
  std::vector<std::string> aud;
  std::optional<int64_t> exp, iat, nbf;
  std::string signing_input;
  std::string signature;
};

/// Splits and decodes `jwt`; throws ClientAuthFailure(invalid_client) when it is not a
/// well-formed compact JWS with JSON header and claims.
ClientAssertion ParseClientAssertion(std::string_view jwt);

/// Verifies `a` for `client` (already found by a.iss): an accepted alg (never none or
/// HS*), the key named by kid or by the x5c certificate's thumbprint, the signature,
/// iss = sub = client_id, an `aud` among `audiences`, exp in the future, exp - iat within
/// the policy, and a jti. Returns the key that verified. Throws ClientAuthFailure.
/// Does not check jti replay (the caller's store does, last).
const RuntimeKey& VerifyClientAssertion(const ClientAssertion& a, const ClientRuntime& client,
                                        const std::vector<std::string>& audiences,
                                        const AssertionPolicy& policy, int64_t now_epoch);

/// The secret of `client` that `presented` matches, or nullptr. Hashes once with the
/// pepper and compares against every secret in constant time; ignores secrets expired
/// at `now_epoch`.
const RuntimeSecret* MatchSecret(const ClientRuntime& client, std::string_view pepper,
                                 std::string_view presented, int64_t now_epoch);

/// client_id and secret from an `Authorization: Basic` value (RFC 6749 section 2.3.1:
/// both form-urlencoded before base64). Throws ClientAuthFailure(invalid_client).
std::pair<std::string, crypto::SecretString> ParseBasicCredentials(std::string_view header);

/// Decodes application/x-www-form-urlencoded text (`+` is a space). Throws
/// ClientAuthFailure(invalid_request) on a bad escape.
std::string FormUrlDecode(std::string_view text);

}  // namespace onboard::domain
