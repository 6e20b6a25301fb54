#pragma once

#include <string>

#include "api_token.hpp"
#include "crypto.hpp"
#include "session.hpp"

namespace onboard::usecases {

/// Timeouts of console sessions and whether personal tokens may sign in (`session.*`
/// configuration: `sign_in_methods` names "token").
struct SessionPolicy {
  int idle_timeout_s = 1800;
  int absolute_timeout_s = 43200;
  bool token_sign_in = true;
};

/// Where a sign-in or sign-out came from, for the audit trail.
struct SessionOrigin {
  std::string request_id;
  std::string source_ip;
  std::string user_agent;
};

/// A person another sign-in method has authenticated (OpenID Connect, issue #17): the use
/// case opens the same kind of session for them as for a personal token.
struct PersonSignIn {
  std::string method = "oidc";
  std::string actor;         ///< stable identity, e.g. "oidc:https://idp.example#248289761001"
  std::string display_name;  ///< shown in the console
  domain::Role role = domain::Role::kOperator;
  std::string detail_json = "{}";  ///< extra audit detail (issuer, claims used); no secrets
};

/// A newly opened session: the secret goes into the cookie, once, and is never stored.
struct OpenedSession {
  domain::Session session;
  crypto::SecretString secret;
  std::string csrf_token;
};

/// The console's sessions (issue #16): sign-in with a personal token, sign-in for a person
/// from another method, resolving a cookie on each request (timeouts, CSRF), sign-out.
/// Sign-ins, refused sign-ins and sign-outs are audited. Thread-safe (no per-request state).
class Sessions {
 public:
  Sessions(domain::SessionStore& sessions, domain::TokenStore& tokens, SessionPolicy policy)
      : sessions_(sessions), tokens_(tokens), policy_(policy) {}

  /// Exchanges an operator's or auditor's personal token for a session. Throws
  /// AppError(kForbidden, `sign_in_method_not_offered`) when the policy turns token sign-in
  /// off (not audited: no token was looked at), AppError(kUnauthenticated) for an unknown,
  /// revoked or expired token and AppError(kForbidden) for a portal or provider token; both
  /// refusals are audited.
  OpenedSession SignInWithToken(const std::string& token, const SessionOrigin& origin);

  /// Opens a session for a person authenticated by another method. Throws
  /// AppError(kForbidden) (audited) when the role may not sign in to the console.
  OpenedSession OpenForPerson(const PersonSignIn& person, const SessionOrigin& origin);

  /// The open session whose secret is `secret`; `unsafe` requests (POST, PUT, PATCH,
  /// DELETE) must present the session's CSRF token in `csrf_header`. Throws
  /// AppError(kUnauthenticated) for an unknown, ended or expired session (or one whose token
  /// is no longer usable) and AppError(kForbidden, `csrf_token_invalid`) for a wrong or
  /// missing CSRF token. Moves the idle timeout on at most once a minute.
  domain::Session Resolve(const std::string& secret, bool unsafe, const std::string& csrf_header);

  /// Ends the session server-side (its cookie gets 401 from then on, on every instance).
  void SignOut(const domain::Session& session, const SessionOrigin& origin);

  const SessionPolicy& policy() const noexcept { return policy_; }

 private:
  OpenedSession Open(domain::NewSession session, const SessionOrigin& origin,
                     const std::string& detail_json);
  void Refuse(const std::string& actor, const std::string& role, const std::string& reason,
              const SessionOrigin& origin);

  domain::SessionStore& sessions_;
  domain::TokenStore& tokens_;
  const SessionPolicy policy_;
};

}  // namespace onboard::usecases
