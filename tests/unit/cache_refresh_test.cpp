// The two hot-path caches (verified API tokens, provider runtime snapshots) reload an entry
// past half its TTL on the one request that notices first while concurrent requests go on
// using it; an expired entry is loaded by the request that needs it; a failed reload
// leaves a still-valid entry in service; an Invalidate during a reload wins over it.

#include <gtest/gtest.h>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "authenticator.hpp"
#include "config.hpp"
#include "error.hpp"
#include "fake_provider_store.hpp"
#include "provider_service.hpp"

namespace onboard::http {
namespace {

using usecases::ProviderService;

using namespace std::chrono_literals;

// A load the test holds until it releases it, and loads that fail on demand.
class Gate {
 public:
  void Close() {
    std::lock_guard<std::mutex> lock(m_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(m_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Pass() {
    std::unique_lock<std::mutex> lock(m_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    --waiting_;
  }
  void AwaitWaiter() {
    std::unique_lock<std::mutex> lock(m_);
    ASSERT_TRUE(cv_.wait_for(lock, 5s, [&] { return waiting_ > 0; }));
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = true;
  int waiting_ = 0;
};

// Every client exists (client_secret_basic); each load passes the gate and fails on demand.
class FakeProviderStore final : public testsupport::FakeProviderStore {
 public:
  FakeProviderStore() : testsupport::FakeProviderStore("client_secret_basic") {}

  std::atomic<bool> fail{false};
  Gate gate;

 private:
  void BeforeLoad() override {
    gate.Pass();
    if (fail) throw AppError(ErrorCode::kUnavailable, "the database is unavailable");
  }
};

std::unique_ptr<ProviderService> Service(FakeProviderStore& store, int ttl_ms) {
  AppConfig config;
  config.provider.cache_ttl_ms = ttl_ms;
  return std::make_unique<ProviderService>(store, config, domain::TrustAnchors{},
                                           domain::TrustAnchors{});
}

const std::string kClient = "5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c";

TEST(ProviderRuntimeCache, ReloadsPastHalfItsTtlOnceWhileOthersUseTheEntry) {
  FakeProviderStore store;
  auto service = Service(store, 2000);
  const auto first = service->Runtime(kClient);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(service->Runtime(kClient), first);
  EXPECT_EQ(store.loads.load(), 1);

  std::this_thread::sleep_for(1100ms);  // past half the TTL, well within it
  store.gate.Close();
  std::shared_ptr<const domain::ClientRuntime> reloaded;
  std::thread reloader([&] { reloaded = service->Runtime(kClient); });
  store.gate.AwaitWaiter();
  // While one request reloads, the others are served the entry at once.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(service->Runtime(kClient), first);
  EXPECT_EQ(store.loads.load(), 2);
  store.gate.Open();
  reloader.join();
  ASSERT_NE(reloaded, nullptr);
  EXPECT_NE(reloaded, first);
  EXPECT_EQ(service->Runtime(kClient), reloaded);
  EXPECT_EQ(store.loads.load(), 2);
}

TEST(ProviderRuntimeCache, AFailedReloadKeepsServingTheValidEntry) {
  FakeProviderStore store;
  auto service = Service(store, 2000);
  const auto first = service->Runtime(kClient);
  std::this_thread::sleep_for(1100ms);  // past half the TTL, well within it
  store.fail = true;
  EXPECT_EQ(service->Runtime(kClient), first);
  EXPECT_EQ(service->Runtime(kClient), first);  // the next request tries again
  EXPECT_EQ(store.loads.load(), 3);
}

TEST(ProviderRuntimeCache, AnExpiredEntryIsLoadedAndItsFailureReported) {
  FakeProviderStore store;
  auto service = Service(store, 100);
  service->Runtime(kClient);
  std::this_thread::sleep_for(150ms);
  store.fail = true;
  EXPECT_THROW(service->Runtime(kClient), AppError);
  store.fail = false;
  EXPECT_NE(service->Runtime(kClient), nullptr);
  EXPECT_EQ(store.loads.load(), 3);
}

TEST(ProviderRuntimeCache, AnInvalidateDuringAReloadIsNotUndone) {
  FakeProviderStore store;
  auto service = Service(store, 2000);
  service->Runtime(kClient);
  std::this_thread::sleep_for(1100ms);  // past half the TTL, well within it
  store.gate.Close();
  std::thread reloader([&] { service->Runtime(kClient); });
  store.gate.AwaitWaiter();
  service->Invalidate(kClient);  // a change committed while the reload read the old state
  store.gate.Open();
  reloader.join();
  service->Runtime(kClient);
  EXPECT_EQ(store.loads.load(), 3);  // the reload's result was not kept
}

// Just enough of a request for Authenticator: its headers.
class HeaderRequest final : public Poco::Net::HTTPServerRequest {
 public:
  explicit HeaderRequest(const std::string& token) : params_(new Poco::Net::HTTPServerParams) {
    set("Authorization", "Bearer " + token);
  }
  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  Poco::Net::HTTPServerResponse& response() const override {
    throw std::logic_error("no response here");
  }
  bool secure() const override { return false; }

 private:
  std::istringstream body_;
  Poco::Net::SocketAddress address_;
  Poco::Net::HTTPServerParams::Ptr params_;
};

class FakeTokenStore final : public domain::TokenStore {
 public:
  domain::ApiToken Create(domain::UnitOfWork&, const domain::ApiToken& token, const std::string&,
                          std::optional<int>) override {
    return token;
  }
  std::optional<domain::TokenLookup> FindByHash(const std::string&) override {
    ++finds;
    gate.Pass();
    if (fail) throw AppError(ErrorCode::kUnavailable, "the database is unavailable");
    domain::TokenLookup l;
    l.token.id = "token-" + std::to_string(finds.load());
    l.token.name = "provider";
    l.token.role = domain::Role::kProvider;
    return l;
  }
  std::vector<domain::ApiToken> List() override { return {}; }
  domain::ApiToken Revoke(domain::UnitOfWork&, const std::string&) override { return {}; }
  void TouchLastUsed(const std::string&) override {}

  std::atomic<int> finds{0};
  std::atomic<bool> fail{false};
  Gate gate;
};

const std::string kToken = "onb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

TEST(TokenCache, ReloadsPastHalfItsTtlOnceWhileOthersUseTheEntry) {
  FakeTokenStore store;
  Authenticator auth(store, 2000ms);
  HeaderRequest request(kToken);
  EXPECT_EQ(auth.Authenticate(request).token_id, "token-1");
  EXPECT_EQ(auth.Authenticate(request).token_id, "token-1");
  EXPECT_EQ(store.finds.load(), 1);

  std::this_thread::sleep_for(1100ms);  // past half the TTL, well within it
  store.gate.Close();
  std::string reloaded;
  std::thread reloader([&] {
    HeaderRequest own(kToken);
    reloaded = auth.Authenticate(own).token_id;
  });
  store.gate.AwaitWaiter();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(auth.Authenticate(request).token_id, "token-1");
  EXPECT_EQ(store.finds.load(), 2);
  store.gate.Open();
  reloader.join();
  EXPECT_EQ(reloaded, "token-2");
  EXPECT_EQ(auth.Authenticate(request).token_id, "token-2");
  EXPECT_EQ(store.finds.load(), 2);
}

TEST(TokenCache, AFailedReloadKeepsServingTheValidEntryAndAnExpiredOneFails) {
  FakeTokenStore store;
  Authenticator auth(store, 2000ms);
  HeaderRequest request(kToken);
  auth.Authenticate(request);
  std::this_thread::sleep_for(1100ms);
  store.fail = true;
  EXPECT_EQ(auth.Authenticate(request).token_id, "token-1");
  EXPECT_EQ(store.finds.load(), 2);
  std::this_thread::sleep_for(1000ms);  // past the TTL: no entry to fall back on
  EXPECT_THROW(auth.Authenticate(request), AppError);
}

TEST(TokenCache, AnInvalidateDuringAReloadIsNotUndone) {
  FakeTokenStore store;
  Authenticator auth(store, 2000ms);
  HeaderRequest request(kToken);
  auth.Authenticate(request);
  std::this_thread::sleep_for(1100ms);  // past half the TTL, well within it
  store.gate.Close();
  std::thread reloader([&] {
    HeaderRequest own(kToken);
    auth.Authenticate(own);
  });
  store.gate.AwaitWaiter();
  auth.Invalidate();  // a revocation while the reload read the token's old state
  store.gate.Open();
  reloader.join();
  EXPECT_EQ(auth.Authenticate(request).token_id, "token-3");
}

}  // namespace
}  // namespace onboard::http
