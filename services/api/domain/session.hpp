#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit_event.hpp"
#include "crypto.hpp"
#include "roles.hpp"

namespace onboard::domain {

/// A browser session of the console (docs/ARCHITECTURE.md, "Sessions"). Its secret (the
/// cookie's value) is never stored: only its SHA-256; the CSRF token is derived from it.
struct Session {
  std::string id;
  std::string method;        ///< how it was opened: "token" or "oidc"
  std::string actor;         ///< who the audit trail and four eyes see (token name, oidc:iss#sub)
  std::string display_name;  ///< the person's name as shown in the console
  Role role = Role::kOperator;
  std::optional<std::string> token_id;  ///< the personal token it was opened with
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;  ///< the earlier of the absolute and the idle expiry, RFC 3339
  std::string absolute_expires_at;
  std::optional<std::string> ended_at;
};

/// A session looked up by its secret's hash, with what the database clock says of it.
struct SessionLookup {
  Session session;
  bool ended = false;
  bool idle_expired = false;
  bool absolute_expired = false;
  bool token_unusable = false;  ///< its token was revoked or expired since
  bool touch_due = false;       ///< last_seen_at is old enough to be written again
};

/// What a sign-in method hands over to open a session for a person.
struct NewSession {
  std::string method = "token";
  std::string actor;
  std::string display_name;
  Role role = Role::kOperator;
  std::optional<std::string> token_id;
  std::string source_ip;
  std::string user_agent;
  int idle_timeout_s = 1800;
  int absolute_timeout_s = 43200;
};

/// Persistence of sessions. Mutations write `audit` in the same transaction. Thread-safe.
class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Session Open(const std::string& id, const NewSession& session,
                       const std::string& secret_hash, const AuditEvent& audit) = 0;
  virtual std::optional<SessionLookup> FindBySecretHash(const std::string& secret_hash) = 0;
  /// Moves last_seen_at to now (the idle timeout starts again).
  virtual void Touch(const std::string& id) = 0;
  /// Ends an open session; false when it had already ended.
  virtual bool End(const std::string& id, const std::string& reason, const AuditEvent& audit) = 0;
  /// Writes an event that describes no change (a refused sign-in).
  virtual void RecordEvent(const AuditEvent& audit) = 0;
};

inline constexpr std::string_view kSessionSecretPrefix = "onbs_";
/// How often last_seen_at is written at most (the idle timeout's resolution).
inline constexpr int kSessionTouchIntervalS = 60;

/// A fresh session secret: "onbs_" + 43 base64url characters (256 bits from the CSPRNG).
crypto::SecretString GenerateSessionSecret();
/// True when `text` has the shape of a session secret (checked before any lookup).
bool LooksLikeSessionSecret(std::string_view text) noexcept;
/// Hex SHA-256 of the secret, the only form in which it is stored.
std::string HashSessionSecret(std::string_view secret);
/// The session's CSRF token: base64url(HMAC-SHA-256(secret, "onboard-csrf-v1")). Derived,
/// so it is never stored and only the holder of the cookie's value can compute it.
std::string CsrfTokenFor(std::string_view secret);

/// Only operators and auditors sign in to the console; portal and provider credentials
/// belong to machines.
bool RoleMaySignIn(Role role) noexcept;

}  // namespace onboard::domain
