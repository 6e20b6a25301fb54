#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access_token.hpp"
#include "api_token.hpp"
#include "roles.hpp"
#include "session.hpp"

/// Who a request's caller is: the rules of the token kinds (onboard tokens, JWT access
/// tokens, console sessions), their roles, the organisation a portal acts for, the scopes,
/// and which routes a caller may call. The HTTP layer only reads the header or the cookie
/// (http/authenticator.*, http/session_auth.*) and hands over what it read.
namespace onboard::usecases {

/// The authenticated caller of a request.
struct Identity {
  std::string token_id;
  std::string token_name;
  domain::Role role = domain::Role::kOperator;
  std::string portal_org;   ///< X-Onboard-Org, portal callers only
  std::string portal_user;  ///< X-Onboard-User, portal callers only
  /// A JWT access token (issue #17): the caller has the portal role and acts for the
  /// organisation of its `consumer` claim (portal_org; never a header) as its client
  /// (portal_user), with what its scopes grant.
  bool access_token = false;
  unsigned permissions = 0;  ///< domain::Permission bits on the own organisation's clients
  bool supplier = false;     ///< idporten:dcr.supplier: clients whose supplier_orgno it is
  std::vector<std::string> scopes;
  std::string session_id;    ///< set when the request was authenticated by a session cookie
  std::string display_name;  ///< session callers: the person's name
};

/// The token a request presented, as far as it was recognised (for counting refusals);
/// empty id: no known token.
struct PresentedToken {
  std::string id;
  std::string name;
  std::string role;
};

/// What a request presents for a bearer token: the token (the Authorization header's value
/// after `Bearer `) and what the portal headers say (X-Onboard-Org, X-Onboard-User).
struct BearerCredentials {
  std::string token;
  std::string organisation;
  std::string user;
};

/// Verifies bearer tokens: onboard tokens (`onb_...`) against the TokenStore, caching
/// verified lookups for `ttl` so the hot paths do not query the database per request, and
/// three-part JWS access tokens with the verifier when one is configured. A revocation
/// holds here at once and, through the publisher (db::InvalidationBus), on the other
/// instances within milliseconds; `ttl` bounds it while the bus is down.
/// Past half its TTL an entry is reloaded by the first request that notices while the
/// others go on using it, so a busy token's entry never expires under load and its
/// concurrent requests never all miss at once. Thread-safe.
class TokenAuthenticator {
 public:
  TokenAuthenticator(domain::TokenStore& store, std::chrono::milliseconds ttl)
      : store_(store), ttl_(ttl) {}

  /// Also accept JWT access tokens of these issuers (issue #17). `verifier` outlives this.
  void UseAccessTokens(const domain::AccessTokenVerifier* verifier) { verifier_ = verifier; }
  /// false: a portal token bound to no organisation is refused instead of acting for the
  /// organisation its X-Onboard-Org header names (auth.portal_header_trust).
  void SetPortalHeaderTrust(bool trust) { portal_header_trust_ = trust; }

  /// Returns the caller or throws AppError(kUnauthenticated) for a malformed, unknown,
  /// revoked or expired token, AppError(kForbidden) for a portal token used for another
  /// organisation than its own (or unbound where headers are not trusted), and
  /// AppError(kBadRequest) when a portal token does not name its organisation and user.
  /// `presented`, when given, receives the token's id, name and role as soon as the token
  /// is recognised (also when it is then refused).
  Identity Authenticate(const BearerCredentials& credentials, PresentedToken* presented = nullptr);

  /// The caller of a JWT access token, or throws AppError(kUnauthenticated) /
  /// AppError(kUnavailable) (issuer keys too old).
  Identity AuthenticateAccessToken(const std::string& token, PresentedToken* presented) const;

  /// Drops every cached entry (after a revocation) here and, through the publisher, on
  /// every other instance.
  void Invalidate();
  /// Drops them on this instance only (what another instance's notice asks for).
  void InvalidateLocal();
  /// Where Invalidate announces a revocation to the other instances
  /// (db::InvalidationBus); set once before serving.
  void SetPublisher(std::function<void(std::string)> publish) { publish_ = std::move(publish); }

 private:
  /// The verified lookup of an onboard token (cached), or throws as Authenticate says.
  domain::TokenLookup Lookup(const std::string& token, std::chrono::steady_clock::time_point now);
  /// Writes last_used_at at most once a minute per token from this instance, so the
  /// hot path does not write per request.
  void RecordUse(const std::string& token_id, std::chrono::steady_clock::time_point now);
  /// The portal's organisation and user: a bound token's own, or the headers'.
  void ActForOrganisation(Identity& caller, const domain::ApiToken& token,
                          const BearerCredentials& credentials) const;

  struct Entry {
    domain::TokenLookup lookup;
    std::chrono::steady_clock::time_point fetched;
    bool refreshing = false;  ///< a request is reloading it (past half its TTL)
  };
  /// The cached lookup for `hash`, or nullopt when this request must load it; then
  /// `*still_valid` holds the entry it reloads for the others, if one is still within its
  /// TTL, and `*generation` the cache generation the load starts from.
  std::optional<domain::TokenLookup> Cached(const std::string& hash,
                                            std::chrono::steady_clock::time_point now,
                                            std::optional<domain::TokenLookup>* still_valid,
                                            uint64_t* generation);
  /// Keeps what a load found unless an Invalidate came in between.
  void Store(const std::string& hash, const std::optional<domain::TokenLookup>& lookup,
             std::chrono::steady_clock::time_point now, uint64_t generation);
  domain::TokenStore& store_;
  const std::chrono::milliseconds ttl_;
  const domain::AccessTokenVerifier* verifier_ = nullptr;
  bool portal_header_trust_ = true;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
  std::function<void(std::string)> publish_;
  uint64_t generation_ = 0;  ///< bumped by Invalidate: a lookup begun before it is not kept
  std::unordered_map<std::string, std::chrono::steady_clock::time_point>
      last_touch_;  ///< by token id
};

/// The caller of a request authenticated by its session cookie (the session already
/// resolved by usecases::Sessions), and the token it presents for the refusal counter.
Identity SessionIdentity(const domain::Session& session);
PresentedToken PresentedBy(const Identity& caller);

/// May `caller` call a route that allows `roles` (a mask of domain::RoleBit) and that an
/// access token needs `permission` for? An onboard token or session by its role
/// (kForbidden "the <role> role may not call <route>"); an access token by its scopes: a
/// route naming no permission refuses it (kForbidden `access_token_not_allowed`), one whose
/// permission its scopes do not grant too (kForbidden `insufficient_scope`), unless it
/// is a supplier. `route` is "<method> <template>", for the message.
void RequireRouteAccess(const Identity& caller, unsigned roles, domain::Permission permission,
                        const std::string& route);

}  // namespace onboard::usecases
