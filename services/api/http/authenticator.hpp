#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api_token.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// Verifies `Authorization: Bearer` tokens against the TokenStore, caching verified
/// lookups for `ttl` so the hot paths do not query the database per request. Revocation
/// therefore takes effect within `ttl` on other instances (immediately on this one).
/// Past half its TTL an entry is reloaded by the first request that notices while the
/// others go on using it, so a busy token's entry never expires under load and its
/// concurrent requests never all miss at once. Thread-safe.
class Authenticator {
 public:
  Authenticator(domain::TokenStore& store, std::chrono::milliseconds ttl)
      : store_(store), ttl_(ttl) {}

  /// Also accept JWT access tokens of these issuers (issue #17). `verifier` outlives this.
  void UseAccessTokens(const domain::AccessTokenVerifier* verifier) { verifier_ = verifier; }
  /// false: a portal token bound to no organisation is refused instead of acting for the
  /// organisation its X-Onboard-Org header names (auth.portal_header_trust).
  void SetPortalHeaderTrust(bool trust) { portal_header_trust_ = trust; }

  /// Returns the caller or throws AppError(kUnauthenticated) for a missing, malformed,
  /// unknown, revoked or expired token, and AppError(kBadRequest) when a portal token
  /// does not name its organisation and user.
  /// `presented`, when given, receives the token's id, name and role as soon as the token
  /// is recognised (also when it is then refused).
  Caller Authenticate(const Poco::Net::HTTPServerRequest& request,
                      PresentedToken* presented = nullptr);

  /// The caller of a JWT access token, or throws AppError(kUnauthenticated) /
  /// AppError(kUnavailable) (issuer keys too old).
  Caller AuthenticateAccessToken(const std::string& token, PresentedToken* presented) const;

  /// Drops every cached entry (after a revocation).
  void Invalidate();

 private:
  /// Writes last_used_at at most once a minute per token from this instance, so the
  /// hot path does not write per request.
  void RecordUse(const std::string& token_id, std::chrono::steady_clock::time_point now);

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
  domain::TokenStore& store_;
  const std::chrono::milliseconds ttl_;
  const domain::AccessTokenVerifier* verifier_ = nullptr;
  bool portal_header_trust_ = true;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
  uint64_t generation_ = 0;  ///< bumped by Invalidate: a lookup begun before it is not kept
  std::unordered_map<std::string, std::chrono::steady_clock::time_point>
      last_touch_;  ///< by token id
};

}  // namespace onboard::http
