// Cross-instance invalidation (issue #19): two onboard-api processes on one database, with
// caches that would keep a revoked credential for ten minutes. A token revoked and a
// secret revoked through instance A must be refused by instance B within 100 ms at p99,
// which only db::InvalidationBus (LISTEN/NOTIFY) can explain. 200 trials, half of each kind;
// the figures are printed for the notes and docs/PERFORMANCE.md.

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <vector>

#include "client_fixtures.hpp"
#include "crypto.hpp"
#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using Clock = std::chrono::steady_clock;

struct LongCaches {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_AUTH_TOKEN_CACHE_TTL_MS", "600000"},
            {"ONBOARD_PROVIDER_CACHE_TTL_MS", "600000"}};
  }
};

class Invalidation : public ApiSuite<LongCaches> {
 protected:
  void SetUp() override {
    ApiSuite<LongCaches>::SetUp();
    if (!b_) {
      b_ = std::make_unique<ApiProcess>(env().db->url(), LongCaches::Env());
      http_b_ = std::make_unique<HttpClient>(b_->port());
    }
  }
  static void TearDownTestSuite() {
    http_b_.reset();
    b_.reset();
    ApiSuite<LongCaches>::TearDownTestSuite();
  }
  HttpClient& a() { return *env().http; }
  HttpClient& b() { return *http_b_; }

  /// Milliseconds from now until `refused()` holds on B (polling as fast as B answers),
  /// or -1 when it did not within 2 s.
  static double MsUntil(const std::function<bool()>& refused) {
    const auto start = Clock::now();
    while (Clock::now() - start < std::chrono::seconds(2)) {
      if (refused()) {
        return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
    }
    return -1;
  }

  inline static std::unique_ptr<ApiProcess> b_;
  inline static std::unique_ptr<HttpClient> http_b_;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

TEST_F(Invalidation, ARevocationOnOneInstanceIsEnforcedByTheOtherWithin100msAtP99) {
  const std::string orgno = ValidOrgno(7, 97100000);
  env().CreateOrg(orgno, "Etat " + orgno);
  Poco::JSON::Object::Ptr client = LoginClient(orgno, "Invalidert");
  client->set("environment", "test");
  client->set("token_endpoint_auth_method", "client_secret_basic");
  const HttpResponse created = env().Op("POST", "/v1/clients", Json(client));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string client_id = created.json->getValue<std::string>("client_id");

  std::string last_refusal;
  auto authenticate_on_b = [&](const std::string& secret) {
    Poco::JSON::Object auth;
    auth.set("authorization", "Basic " + crypto::Base64Encode(client_id + ":" + secret));
    auth.set("audience", "https://test.idporten.no");
    const HttpResponse r =
        b().Post("/v1/provider/authenticate", Json(auth), Bearer(env().provider.secret));
    if (r.status != 200 && r.status != 401) ADD_FAILURE() << r.Describe();
    last_refusal = r.body;
    return r.status;
  };

  constexpr int kTrials = 200;
  std::vector<double> tokens, secrets;
  for (int i = 0; i < kTrials; ++i) {
    if (i % 2 == 0) {
      const HttpResponse t =
          env().Op("POST", "/v1/tokens",
                   "{\"name\":\"inv-" + std::to_string(i) + "\",\"role\":\"auditor\"}");
      ASSERT_EQ(t.status, 201) << t.Describe();
      const std::string token = t.json->getValue<std::string>("token");
      const std::string id = t.json->getValue<std::string>("id");
      ASSERT_EQ(b().Get("/v1/audit/checkpoints", Bearer(token)).status, 200)
          << "B caches the token";
      ASSERT_EQ(env().Op("DELETE", "/v1/tokens/" + id).status, 200);
      const double ms =
          MsUntil([&] { return b().Get("/v1/audit/checkpoints", Bearer(token)).status == 401; });
      ASSERT_GE(ms, 0) << "trial " << i << ": B still accepts the token revoked on A after 2 s";
      tokens.push_back(ms);
    } else {
      const HttpResponse s =
          a().Request("POST", "/v1/clients/" + client_id + "/secret", Bearer(env().op.secret));
      ASSERT_EQ(s.status, 201) << s.Describe();
      const std::string secret = s.json->getValue<std::string>("client_secret");
      const std::string secret_id = s.json->getValue<std::string>("secret_id");
      // The new secret reaches B through the same notice (B's snapshot predates it).
      ASSERT_TRUE(WaitUntil([&] { return authenticate_on_b(secret) == 200; },
                            std::chrono::milliseconds(2000), std::chrono::milliseconds(1)))
          << "B does not accept the secret issued on A: " << last_refusal;
      ASSERT_EQ(env().Op("DELETE", "/v1/clients/" + client_id + "/secrets/" + secret_id).status,
                204);
      const double ms = MsUntil([&] { return authenticate_on_b(secret) == 401; });
      ASSERT_GE(ms, 0) << "trial " << i << ": B still accepts the secret revoked on A after 2 s";
      secrets.push_back(ms);
    }
  }
  std::vector<double> all = tokens;
  all.insert(all.end(), secrets.begin(), secrets.end());
  std::cerr << "[invalidation] " << all.size() << " trials: p50 " << Percentile(all, 0.5)
            << " ms, p99 " << Percentile(all, 0.99) << " ms, max " << Percentile(all, 1.0)
            << " ms (tokens p50 " << Percentile(tokens, 0.5) << " / p99 "
            << Percentile(tokens, 0.99) << "; secrets p50 " << Percentile(secrets, 0.5) << " / p99 "
            << Percentile(secrets, 0.99) << ")\n";
  EXPECT_LE(Percentile(all, 0.99), 100.0);
}

// A restart of B's listening connection loses no revocation for good: after the bus
// reconnects, B drops its caches (notices sent meanwhile are gone).
TEST_F(Invalidation, AfterTheListenerReconnectsNothingStaleIsServed) {
  const HttpResponse t =
      env().Op("POST", "/v1/tokens", "{\"name\":\"inv-restart\",\"role\":\"auditor\"}");
  ASSERT_EQ(t.status, 201) << t.Describe();
  const std::string token = t.json->getValue<std::string>("token");
  const std::string id = t.json->getValue<std::string>("id");
  ASSERT_EQ(b().Get("/v1/audit/checkpoints", Bearer(token)).status, 200);
  // Cut B's listener: terminate every backend listening for onboard_invalidate except A's.
  // Then revoke on A while B is not listening, and let B reconnect.
  QueryScalar(env().db->url(),
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid IN "
              "(SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN onboard_invalidate%' "
              "OR query LIKE '%pg_notify%') AND pid <> pg_backend_pid()");
  ASSERT_EQ(env().Op("DELETE", "/v1/tokens/" + id).status, 200);
  EXPECT_TRUE(
      WaitUntil([&] { return b().Get("/v1/audit/checkpoints", Bearer(token)).status == 401; },
                std::chrono::milliseconds(5000), std::chrono::milliseconds(20)))
      << "B serves a token revoked while its listener was down";
}

}  // namespace
}  // namespace onboard::testsupport
