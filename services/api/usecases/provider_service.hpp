#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "certificate.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "provider_auth.hpp"

namespace onboard::usecases {

/// The client authentication a token request carried, as the provider forwards it.
struct ClientAuthInput {
  std::string authorization;  ///< the token request's Authorization header (client_secret_basic)
  std::string client_id;      ///< form parameter
  crypto::SecretString client_secret;  ///< form parameter (client_secret_post)
  std::string assertion_type;
  std::string assertion;
  std::vector<std::string> audiences;  ///< what `aud` may name (issuer, token endpoint)
};

struct ClientAuthOutcome {
  std::string client_id;
  domain::AuthMethod method = domain::AuthMethod::kNone;
};

/// The provider-facing hot path: client runtime snapshots cached in memory, client
/// authentication, the jti replay store and last-use bookkeeping, plus the trust anchors
/// certificates are checked against.
///
/// Caching: a snapshot (client row, usable secrets, live keys parsed into EVP_PKEYs, the
/// rendered provider document) lives `provider.cache_ttl_ms`. Changes made through this
/// instance invalidate it at once, and the publisher (db::InvalidationBus) tells the other
/// instances, which drop theirs within milliseconds; the TTL bounds a change's reach only
/// while the bus is down. Unknown client ids are
/// cached too, so a flood of them does not reach the database. Past half its TTL an entry
/// is reloaded by the one request that notices first while the others go on using it, so
/// under load an entry never expires and concurrent requests never all miss at once (a
/// miss for every in-flight request stalled the provider path up to ~300 ms on 2 cores).
/// Thread-safe.
class ProviderService {
 public:
  ProviderService(domain::ProviderStore& store, const AppConfig& config,
                  domain::TrustAnchors test_anchors, domain::TrustAnchors production_anchors);
  ~ProviderService();
  ProviderService(const ProviderService&) = delete;
  ProviderService& operator=(const ProviderService&) = delete;

  /// The client's snapshot (cached), or nullptr when there is no such client.
  std::shared_ptr<const domain::ClientRuntime> Runtime(const std::string& client_id);

  /// Forgets the cached snapshot of `client_id` (after a change of its keys, secrets,
  /// metadata or state) here and, through the publisher, on every other instance.
  void Invalidate(const std::string& client_id);
  /// Forgets it on this instance only (what another instance's notice asks for).
  void InvalidateLocal(const std::string& client_id);
  /// Forgets every snapshot on this instance (notices may have been missed).
  void InvalidateAllLocal();
  /// Where Invalidate announces a change to the other instances (db::InvalidationBus);
  /// set once before serving.
  void SetPublisher(std::function<void(std::string)> publish) { publish_ = std::move(publish); }

  /// Checks the client authentication of a token request. Throws
  /// domain::ClientAuthFailure (invalid_client / invalid_request) when it does not hold,
  /// AppError(kUnavailable) when the replay store cannot be reached (fails closed).
  ClientAuthOutcome Authenticate(const ClientAuthInput& input);

  const domain::TrustAnchors& Anchors(domain::Environment env) const noexcept {
    return env == domain::Environment::kProduction ? production_anchors_ : test_anchors_;
  }
  const domain::CertificatePolicy& certificate_policy() const noexcept {
    return certificate_policy_;
  }
  const domain::AssertionPolicy& assertion_policy() const noexcept { return assertion_policy_; }

  /// Starts the thread that purges expired jtis every `provider.jti_purge_interval_s`.
  void StartPurger();

 private:
  void RecordUse(const std::string& credential_id, bool is_key);
  std::shared_ptr<const domain::ClientRuntime> RequireUsable(const std::string& client_id);

  struct Entry {
    std::shared_ptr<const domain::ClientRuntime> runtime;  ///< nullptr: no such client
    std::chrono::steady_clock::time_point fetched;
    bool refreshing = false;  ///< a request is reloading it (past half its TTL)
  };

  domain::ProviderStore& store_;
  const std::string pepper_;
  const std::chrono::milliseconds ttl_;
  const std::chrono::seconds purge_interval_;
  domain::TrustAnchors test_anchors_;
  domain::TrustAnchors production_anchors_;
  domain::CertificatePolicy certificate_policy_;
  domain::AssertionPolicy assertion_policy_;

  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Entry> cache_;
  std::function<void(std::string)> publish_;
  uint64_t cache_generation_ = 0;  ///< bumped by Invalidate: a load begun before it is not kept

  std::mutex use_mutex_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_use_;

  std::mutex purge_mutex_;
  std::condition_variable purge_wake_;
  bool stopping_ = false;
  std::thread purger_;
};

}  // namespace onboard::usecases
