#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "issuer_keys.hpp"
#include "jose.hpp"
#include "jwt.hpp"
#include "roles.hpp"

/// Operators' OpenID Connect sign-in (issue #17): onboard-api is a relying party of the
/// agency's identity provider (authorization code flow, PKCE S256, state, nonce). The
/// rules: the flow's server-side record, the ID token's checks and the role from a claim.
/// Plain C++; the provider's endpoints are reached through OidcProviderPort
/// (services/api/identity/, libcurl).
namespace onboard::domain {

/// One started sign-in, kept server-side (table `oidc_flows`, migration 0036) so that any
/// instance can finish it. Only hashes of the browser's secrets are kept: `state_hash` =
/// SHA-256 of `state`, `binding_hash` = SHA-256 of the flow cookie. The PKCE verifier is
/// not stored at all: it is derived from the state with a server key (PkceVerifier).
struct OidcFlow {
  std::string state_hash;
  std::string binding_hash;
  std::string nonce;
  std::string return_to;
};

/// A flow taken (marked used) by its callback.
struct TakenOidcFlow {
  OidcFlow flow;
  bool already_used = false;  ///< a second callback with the same state
  bool expired = false;
};

/// Persistence of flows. Thread-safe.
class OidcFlowStore {
 public:
  virtual ~OidcFlowStore() = default;
  /// Records a new flow that expires `ttl_s` from now (also drops flows expired long ago).
  virtual void Create(const OidcFlow& flow, int ttl_s) = 0;
  /// Marks the flow of `state_hash` used, atomically (exactly one caller sees it unused);
  /// nullopt when there is none.
  virtual std::optional<TakenOidcFlow> Take(const std::string& state_hash) = 0;
};

/// What the token endpoint answered to the code exchange.
struct OidcTokenAnswer {
  std::string id_token;
};

/// The identity provider as the use case sees it. Implementations fetch and cache its
/// discovery document and JWKS. Thread-safe.
class OidcProviderPort {
 public:
  virtual ~OidcProviderPort() = default;
  /// The discovery document's authorization_endpoint. Throws AppError(kUnavailable) when
  /// the document cannot be had.
  virtual std::string AuthorizationEndpoint() = 0;
  /// end_session_endpoint, when the provider offers RP-initiated logout.
  virtual std::optional<std::string> EndSessionEndpoint() = 0;
  /// Exchanges `code` at the token endpoint, authenticating as the configured confidential
  /// client. Throws jwt::Refused when the provider refuses (invalid_grant...), with its
  /// `error` code in the reason, and AppError(kUnavailable) when it cannot be reached.
  virtual OidcTokenAnswer ExchangeCode(const std::string& code, const std::string& verifier,
                                       const std::string& redirect_uri) = 0;
  /// The provider's signing keys (its JWKS).
  virtual IssuerKeys& Keys() = 0;
};

/// What an ID token must satisfy.
struct IdTokenRules {
  std::string issuer;     ///< exact `iss`
  std::string client_id;  ///< must be in `aud` (and be `azp` when aud names others too)
  std::vector<jose::Alg> algs = {jose::Alg::kRS256, jose::Alg::kES256};
  int64_t skew_s = 30;
  int64_t max_age_s = 600;  ///< `iat` older than this (plus skew) is refused
};

/// The verified claims of an ID token.
struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  Poco::JSON::Object::Ptr claims;
};

/// Verifies an ID token (OpenID Connect Core 3.1.3.7): signature by a key of `keys` with
/// one of `rules.algs` (never `none` or HS*: the header's alg is checked against the
/// list before any key is looked at), `iss`, `aud`/`azp`, `exp`, `iat` with the skew and
/// `nonce`. Throws jwt::Refused with a reason for the log (never the token), and
/// AppError(kUnavailable) when the keys are too old to use.
IdTokenClaims VerifyIdToken(std::string_view token, const IdTokenRules& rules, IssuerKeys& keys,
                            const std::string& nonce, int64_t now_epoch);

/// Which claim values make an operator or an auditor.
struct OidcRoleMapping {
  std::string claim = "groups";  ///< an array of strings, or one string (space-separated)
  std::vector<std::string> operator_values;
  std::vector<std::string> auditor_values;
};

/// The console role the claims give: operator when the claim holds an operator value,
/// else auditor when it holds an auditor value, else nullopt (no session).
std::optional<Role> RoleFromClaims(const Poco::JSON::Object& claims, const OidcRoleMapping& map);

/// The PKCE verifier (RFC 7636, 43 base64url characters) of the flow whose state is
/// `state`: HMAC-SHA-256 under `server_key`, so it is never stored and only this service
/// (all of its instances) can compute it.
std::string PkceVerifier(std::string_view server_key, std::string_view state);
/// BASE64URL(SHA-256(verifier)) (code_challenge_method S256).
std::string PkceChallenge(std::string_view verifier);

/// The stable identity of a person: "oidc:<iss>#<sub>".
std::string OidcActor(const std::string& issuer, const std::string& subject);

}  // namespace onboard::domain
