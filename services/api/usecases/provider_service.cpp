#include "provider_service.hpp"

#include <ctime>

#include "error.hpp"
#include "log.hpp"

namespace onboard::usecases {

namespace {

[[noreturn]] void Fail(const std::string& description) {
  throw domain::ClientAuthFailure("invalid_client", description);
}

constexpr std::size_t kMaxCacheEntries = 100000;

}  // namespace

ProviderService::ProviderService(domain::ProviderStore& store, const AppConfig& config,
                                 domain::TrustAnchors test_anchors,
                                 domain::TrustAnchors production_anchors)
    : store_(store),
      pepper_(config.secrets.pepper),
      ttl_(config.provider.cache_ttl_ms),
      purge_interval_(config.provider.jti_purge_interval_s),
      test_anchors_(std::move(test_anchors)),
      production_anchors_(std::move(production_anchors)) {
  certificate_policy_.allow_ec = config.certificates.allow_ec;
  assertion_policy_.skew_s = config.provider.clock_skew_s;
  assertion_policy_.algs.clear();
  for (const auto& name : config.provider.assertion_algs) {
    if (auto alg = domain::jose::AlgFromString(name)) assertion_policy_.algs.push_back(*alg);
  }
}

ProviderService::~ProviderService() {
  {
    std::lock_guard<std::mutex> lock(purge_mutex_);
    stopping_ = true;
  }
  purge_wake_.notify_all();
  if (purger_.joinable()) purger_.join();
}

void ProviderService::StartPurger() {
  purger_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(purge_mutex_);
    while (!stopping_) {
      purge_wake_.wait_for(lock, purge_interval_, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      try {
        const int64_t purged = store_.PurgeExpiredJtis();
        if (purged > 0) {
          Poco::JSON::Object f;
          f.set("purged", purged);
          log::Write(log::Level::kDebug, "expired assertion ids purged", f);
        }
      } catch (const std::exception& e) {
        Poco::JSON::Object f;
        f.set("error", e.what());
        log::Warn("purging expired assertion ids failed", f);
      }
      lock.lock();
    }
  });
}

std::shared_ptr<const domain::ClientRuntime> ProviderService::Runtime(
    const std::string& client_id) {
  const auto now = std::chrono::steady_clock::now();
  std::shared_ptr<const domain::ClientRuntime> cached;  // still valid while this request reloads it
  bool have_cached = false;
  uint64_t generation = 0;
  if (ttl_.count() > 0) {
    {
      std::shared_lock<std::shared_mutex> lock(cache_mutex_);
      auto it = cache_.find(client_id);
      if (it != cache_.end() && now - it->second.fetched < ttl_ &&
          (now - it->second.fetched < ttl_ / 2 || it->second.refreshing)) {
        return it->second.runtime;
      }
    }
    std::unique_lock<std::shared_mutex> lock(cache_mutex_);
    auto it = cache_.find(client_id);
    if (it != cache_.end() && now - it->second.fetched < ttl_) {
      // Past half its life: the first request to see that reloads it, the rest use it.
      if (now - it->second.fetched < ttl_ / 2 || it->second.refreshing) return it->second.runtime;
      it->second.refreshing = true;
      cached = it->second.runtime;
      have_cached = true;
    }
    generation = cache_generation_;
  }
  std::shared_ptr<const domain::ClientRuntime> runtime;
  try {
    if (auto record = store_.Load(client_id)) {
      runtime = std::make_shared<const domain::ClientRuntime>(domain::BuildRuntime(*record));
    }
  } catch (...) {
    if (!have_cached) throw;
    // The entry is still within its TTL: serve it; a later request tries the reload again.
    std::unique_lock<std::shared_mutex> lock(cache_mutex_);
    if (auto it = cache_.find(client_id); it != cache_.end()) it->second.refreshing = false;
    return cached;
  }
  if (ttl_.count() > 0) {
    std::unique_lock<std::shared_mutex> lock(cache_mutex_);
    if (generation == cache_generation_) {
      if (cache_.size() >= kMaxCacheEntries) cache_.clear();
      cache_[client_id] = Entry{runtime, now};
    } else if (auto it = cache_.find(client_id); it != cache_.end()) {
      it->second.refreshing = false;
    }
  }
  return runtime;
}

void ProviderService::Invalidate(const std::string& client_id) {
  InvalidateLocal(client_id);
  if (publish_) publish_("client:" + client_id);
}

void ProviderService::InvalidateLocal(const std::string& client_id) {
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  cache_.erase(client_id);
  ++cache_generation_;
}

void ProviderService::InvalidateAllLocal() {
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  cache_.clear();
  ++cache_generation_;
}

std::shared_ptr<const domain::ClientRuntime> ProviderService::RequireUsable(
    const std::string& client_id) {
  if (client_id.empty()) Fail("no client_id was given");
  auto runtime = Runtime(client_id);
  if (!runtime) Fail("unknown client");
  if (runtime->state != domain::ClientState::kActive) {
    Fail("the client is " + std::string(domain::ToString(runtime->state)));
  }
  return runtime;
}

ClientAuthOutcome ProviderService::Authenticate(const ClientAuthInput& in) {
  const bool basic = !in.authorization.empty();
  const bool post = !in.client_secret.empty();
  const bool jwt = !in.assertion_type.empty() || !in.assertion.empty();
  if (int(basic) + int(post) + int(jwt) > 1) {
    throw domain::ClientAuthFailure("invalid_request",
                                    "the request uses more than one client authentication method");
  }
  const int64_t now = static_cast<int64_t>(std::time(nullptr));

  if (jwt) {
    if (in.assertion_type != domain::kJwtBearerAssertionType) {
      throw domain::ClientAuthFailure(
          "invalid_request",
          "client_assertion_type must be " + std::string(domain::kJwtBearerAssertionType));
    }
    if (in.assertion.empty())
      throw domain::ClientAuthFailure("invalid_request", "client_assertion is missing");
    const domain::ClientAssertion assertion = domain::ParseClientAssertion(in.assertion);
    if (!in.client_id.empty() && in.client_id != assertion.iss)
      Fail("client_id does not match the assertion's iss");
    auto runtime = RequireUsable(assertion.iss);
    if (runtime->method != domain::AuthMethod::kPrivateKeyJwt) {
      Fail("the client is registered for " + std::string(domain::ToString(runtime->method)));
    }
    const domain::RuntimeKey& key =
        domain::VerifyClientAssertion(assertion, *runtime, in.audiences, assertion_policy_, now);
    // Last, so an assertion that fails any other rule does not use up its jti.
    if (!store_.RememberJti(runtime->client_id, assertion.jti,
                            *assertion.exp + assertion_policy_.skew_s)) {
      Fail("the client assertion's jti has been used before");
    }
    if (!key.key_id.empty()) RecordUse(key.key_id, true);
    return {runtime->client_id, domain::AuthMethod::kPrivateKeyJwt};
  }

  if (basic || post) {
    std::string client_id;
    crypto::SecretString secret;
    domain::AuthMethod method = domain::AuthMethod::kClientSecretBasic;
    if (basic) {
      auto [id, s] = domain::ParseBasicCredentials(in.authorization);
      if (!in.client_id.empty() && in.client_id != id)
        Fail("client_id does not match the Authorization header");
      client_id = std::move(id);
      secret = std::move(s);
    } else {
      method = domain::AuthMethod::kClientSecretPost;
      client_id = in.client_id;
    }
    const std::string& presented = basic ? secret.reveal() : in.client_secret.reveal();
    auto runtime = RequireUsable(client_id);
    if (runtime->method != method) {
      Fail("the client is registered for " + std::string(domain::ToString(runtime->method)));
    }
    const domain::RuntimeSecret* match = domain::MatchSecret(*runtime, pepper_, presented, now);
    if (match == nullptr) Fail("the client secret is not an active secret of this client");
    RecordUse(match->secret_id, false);
    return {runtime->client_id, method};
  }

  // No credentials: only a public client (token_endpoint_auth_method none) may do that.
  auto runtime = RequireUsable(in.client_id);
  if (runtime->method != domain::AuthMethod::kNone) {
    Fail("the client must authenticate with " + std::string(domain::ToString(runtime->method)));
  }
  return {runtime->client_id, domain::AuthMethod::kNone};
}

void ProviderService::RecordUse(const std::string& credential_id, bool is_key) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(use_mutex_);
    auto it = last_use_.find(credential_id);
    if (it != last_use_.end() && now - it->second < std::chrono::minutes(1)) return;
    if (last_use_.size() > kMaxCacheEntries) last_use_.clear();
    last_use_[credential_id] = now;
  }
  try {
    if (is_key)
      store_.TouchKey(credential_id);
    else
      store_.TouchSecret(credential_id);
  } catch (const AppError&) {
    // Bookkeeping only: an authentication is never refused because last use was not written.
  }
}

}  // namespace onboard::usecases
