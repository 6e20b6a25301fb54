#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api_token.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// Verifies `Authorization: Bearer` tokens against the TokenStore, caching verified
/// lookups for `ttl` so the hot paths do not query the database per request. Revocation
/// therefore takes effect within `ttl` on other instances (immediately on this one).
/// Thread-safe.
class Authenticator {
 public:
  Authenticator(domain::TokenStore& store, std::chrono::milliseconds ttl) : store_(store), ttl_(ttl) {}

  /// Returns the caller or throws AppError(kUnauthenticated) for a missing, malformed,
  /// unknown, revoked or expired token, and AppError(kBadRequest) when a portal token
  /// does not name its organisation and user.
  /// `presented`, when given, receives the token's id, name and role as soon as the token
  /// is recognised (also when it is then refused).
  Caller Authenticate(const Poco::Net::HTTPServerRequest& request, PresentedToken* presented = nullptr);

  /// Drops every cached entry (after a revocation).
  void Invalidate();

 private:
  /// Writes last_used_at at most once a minute per token from this instance, so the
  /// hot path does not write per request.
  void RecordUse(const std::string& token_id, std::chrono::steady_clock::time_point now);

  struct Entry {
    domain::TokenLookup lookup;
    std::chrono::steady_clock::time_point fetched;
  };
  domain::TokenStore& store_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_touch_;  ///< by token id
};

}  // namespace onboard::http
