#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "client.hpp"
#include "unit_of_work.hpp"

namespace onboard::domain {

/// Most keys (bound certificates, registered JWKs and metadata `jwks` together) a client
/// may have (DOMAIN.md).
inline constexpr std::size_t kMaxClientKeys = 5;

/// A bare JWK lives at most one year (DOMAIN.md: "a registered key at most one year").
inline constexpr int64_t kMaxJwkLifetimeSeconds = 365 * 86400;

/// A stored public key of a client: a bound enterprise certificate or a registered JWK.
struct ClientKey {
  std::string id;
  std::string client_id;
  std::string kid;
  std::string kind;  ///< "certificate" or "jwk"
  std::string alg;
  std::string jwk_json;     ///< public JWK (with x5c and x5t#S256 for certificates)
  std::string certificate;  ///< base64 DER of the leaf (certificates only)
  std::string thumbprint;   ///< x5t#S256 (certificates only)
  std::string subject, issuer, serial, orgno;
  int64_t not_before = 0;  ///< epoch seconds; 0 for JWKs
  int64_t not_after = 0;   ///< epoch seconds: certificate expiry, or a JWK's one-year limit
  std::string created_at, created_by, last_used_at;
};

/// The client change stored with a key change, in the same transaction.
struct KeyWrite {
  /// The client after the change (auth method, state), stored over `expected_version`
  /// with a history entry `change`; unset when the client row does not change.
  std::optional<Client> next_client;
  int expected_version = 0;
  std::string change;  ///< history change: "update" or "activate"
  std::string diff_json = "[]";
  bool revoke_secrets = false;
  AuditEvent audit;
};

/// Persistence of client keys. Every write goes into the caller's unit of work with its
/// audit event, under a row lock on the client so concurrent writes cannot exceed the
/// key limit or remove the last key. Thread-safe.
class ClientKeyStore {
 public:
  virtual ~ClientKeyStore() = default;
  /// The client's live (not removed) keys, oldest first.
  virtual std::vector<ClientKey> List(const std::string& client_id) = 0;
  /// Adds `key`; refuses with AppError(kConflict, `too_many_keys`) when the client would
  /// have more than `max_keys` live keys, `kid_already_registered` when the kid is live already,
  /// kPreconditionFailed when the client changed since `write.expected_version`.
  virtual ClientKey Add(UnitOfWork& unit, const ClientKey& key, std::size_t max_keys,
                        const KeyWrite& write) = 0;
  /// Removes the live key `kid`; AppError(kNotFound) when there is none, AppError(kConflict,
  /// `key_required`) when `keep_one` and it is the client's last live key.
  virtual void Remove(UnitOfWork& unit, const std::string& client_id, const std::string& kid,
                      const std::string& removed_by, bool keep_one, const AuditEvent& audit) = 0;
  /// True when the client is the production client of an approved production order with
  /// delivery method `certificate`.
  virtual bool AwaitsCertificate(const std::string& client_id) = 0;
};

}  // namespace onboard::domain
