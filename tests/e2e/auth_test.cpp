#include "crypto.hpp"
#include "e2e_helpers.hpp"
#include "repository.hpp"
#include "token_repository.hpp"

namespace onboard::testsupport {
namespace {

struct ShortCacheConfig {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_AUTH_TOKEN_CACHE_TTL_MS", "300"}};
  }
};
using Auth = ApiSuite<ShortCacheConfig>;

const std::string kPath = "/v1/organisations";

void ExpectUnauthenticated(const HttpResponse& r, const std::string& code) {
  ExpectProblem(r, 401, code);
  EXPECT_EQ(r.Header("WWW-Authenticate").rfind("Bearer", 0), 0u) << r.Header("WWW-Authenticate");
}

TEST_F(Auth, AMissingTokenIs401WithWwwAuthenticate) {
  ExpectUnauthenticated(env().http->Get(kPath), "missing_token");
}

TEST_F(Auth, AnotherSchemeThanBearerIs401) {
  ExpectUnauthenticated(env().http->Get(kPath, {{"Authorization", "Basic b3A6cGFzcw=="}}),
                        "missing_token");
  ExpectUnauthenticated(env().http->Get(kPath, {{"Authorization", "Bearer"}}), "missing_token");
  ExpectUnauthenticated(env().http->Get(kPath, {{"Authorization", env().op.secret}}),
                        "missing_token");
}

TEST_F(Auth, AMalformedTokenIs401) {
  ExpectUnauthenticated(env().http->Get(kPath, Bearer("not-an-onboard-token")), "invalid_token");
  ExpectUnauthenticated(env().http->Get(kPath, Bearer("onb_" + std::string(300, 'a'))),
                        "invalid_token");
}

TEST_F(Auth, AnUnknownTokenIs401AndIsNotEchoed) {
  const std::string unknown = "onb_" + crypto::RandomFromAlphabet("abcdefghijklmnopqrstuvwxyz", 43);
  const HttpResponse r = env().http->Get(kPath, Bearer(unknown));
  ExpectUnauthenticated(r, "invalid_token");
  EXPECT_EQ(r.body.find(unknown), std::string::npos);
}

TEST_F(Auth, TheSchemeNameIsCaseInsensitive) {
  EXPECT_EQ(env().http->Get(kPath, {{"Authorization", "bearer " + env().op.secret}}).status, 200);
  EXPECT_EQ(env().http->Get(kPath, {{"Authorization", "BEARER " + env().op.secret}}).status, 200);
}

TEST_F(Auth, ATokenRevokedThroughTheApiIs401AtOnce) {
  const TestToken t = CreateToken(env().db->url(), domain::Role::kOperator);
  ASSERT_EQ(env().http->Get(kPath, Bearer(t.secret)).status, 200);  // now cached
  ASSERT_EQ(env().Op("DELETE", "/v1/tokens/" + t.id).status, 200);
  ExpectUnauthenticated(env().http->Get(kPath, Bearer(t.secret)), "invalid_token");
}

TEST_F(Auth, ATokenRevokedElsewhereIs401WithinTheCacheTtl) {
  const TestToken t = CreateToken(env().db->url(), domain::Role::kOperator);
  ASSERT_EQ(env().http->Get(kPath, Bearer(t.secret)).status, 200);
  // Another instance (here: the repository directly) revokes it.
  db::Pool pool(env().db->url(), 1, 2000, 5);
  db::TokenRepository repo(pool);
  domain::AuditEvent audit;
  audit.actor.name = "other-instance";
  audit.actor.role = "operator";
  audit.action = "token.revoke";
  audit.target_type = "api_token";
  audit.target_id = t.id;
  db::AuditedWrite(pool, audit, [&](db::PgUnitOfWork& unit) { repo.Revoke(unit, t.id); });
  const auto revoked_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(
      WaitUntil([&] { return env().http->Get(kPath, Bearer(t.secret)).status == 401; }, 5s, 20ms));
  EXPECT_LT(std::chrono::steady_clock::now() - revoked_at, 2s) << "cache TTL is 300 ms";
}

TEST_F(Auth, AnExpiredTokenIs401WithExpiredToken) {
  const TestToken t = CreateToken(env().db->url(), domain::Role::kOperator, "", 1);
  ExecSql(
      env().db->url(),
      "UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = '" + t.id + "'");
  ExpectUnauthenticated(env().http->Get(kPath, Bearer(t.secret)), "expired_token");
}

TEST_F(Auth, ATokenWithAnExpiryInTheFutureWorks) {
  const TestToken t = CreateToken(env().db->url(), domain::Role::kOperator, "", 1);
  EXPECT_EQ(env().http->Get(kPath, Bearer(t.secret)).status, 200);
}

TEST_F(Auth, PublicRoutesNeedNoToken) {
  for (const char* path : {"/healthz", "/readyz", "/metrics", "/openapi.json"}) {
    EXPECT_EQ(env().http->Get(path).status, 200) << path;
    EXPECT_EQ(env().http->Get(path, Bearer("onb_garbage")).status, 200)
        << path << " with a bad token";
  }
}

TEST_F(Auth, NoTokenOrAuthorizationHeaderEverReachesTheLog) {
  const std::string unknown = "onb_" + crypto::RandomFromAlphabet("abcdefghijklmnopqrstuvwxyz", 43);
  env().http->Get(kPath, Bearer(env().op.secret));
  env().http->Get(kPath, Bearer(unknown));
  env().http->Get(kPath, Bearer(env().portal.secret));  // portal without headers: 400
  env().http->Get(kPath, Bearer(env().auditor.secret, {{"X-Request-Id", "last-one"}}));
  const HttpResponse created =
      env().Op("POST", "/v1/tokens", std::string(R"({"name":"log-probe","role":"operator"})"));
  ASSERT_EQ(created.status, 201);
  const std::string issued = created.json->getValue<std::string>("token");
  env().http->Get(kPath, Bearer(issued));
  ASSERT_TRUE(WaitUntil(
      [&] { return env().api->log().find(created.Header("X-Request-Id")) != std::string::npos; },
      5s));
  const std::string log = env().api->log();
  for (const auto& secret :
       {env().op.secret, env().portal.secret, env().auditor.secret, unknown, issued}) {
    EXPECT_EQ(log.find(secret.substr(4)), std::string::npos) << "a token is in the log";
  }
  EXPECT_EQ(log.find("Authorization"), std::string::npos);
  EXPECT_EQ(log.find("Bearer"), std::string::npos);
}

}  // namespace
}  // namespace onboard::testsupport
