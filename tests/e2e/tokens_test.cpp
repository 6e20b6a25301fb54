#include <Poco/JSON/Array.h>

#include "api_token.hpp"
#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using TokensApi = ApiSuite<DefaultConfig>;

std::string UniqueName(const std::string& base) {
  static int next = 0;
  return base + "-" + std::to_string(next++);
}

HttpResponse CreateViaApi(const std::string& name, const std::string& role,
                          const std::string& extra = "") {
  return TokensApi::env_->Op("POST", "/v1/tokens",
                             "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"" + extra + "}");
}

TEST_F(TokensApi, CreateShowsTheTokenOnceWithItsRecord) {
  const int64_t before = env().db->AuditCount();
  const std::string name = UniqueName("ci");
  const HttpResponse r = CreateViaApi(name, "operator");
  ASSERT_EQ(r.status, 201) << r.Describe();
  const std::string token = r.json->getValue<std::string>("token");
  const std::string id = r.json->getValue<std::string>("id");
  EXPECT_EQ(token.rfind("onb_", 0), 0u);
  EXPECT_EQ(token.size(), 47u);
  EXPECT_EQ(r.json->getValue<std::string>("prefix"), token.substr(0, 10));
  EXPECT_EQ(r.json->getValue<std::string>("name"), name);
  EXPECT_EQ(r.json->getValue<std::string>("role"), "operator");
  EXPECT_EQ(r.json->getValue<std::string>("created_by"), "e2e-operator");
  EXPECT_TRUE(r.json->isNull("expires_at"));
  EXPECT_TRUE(r.json->isNull("revoked_at"));
  EXPECT_EQ(r.Header("Location"), "/v1/tokens/" + id);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(env().db->AuditCount(), before + 1);
  // The audit event names the token but never holds it.
  const auto detail =
      QueryScalar(env().db->url(), "SELECT detail FROM audit_events ORDER BY seq DESC LIMIT 1");
  ASSERT_TRUE(detail);
  EXPECT_NE(detail->find(name), std::string::npos);
  EXPECT_EQ(detail->find(token.substr(4)), std::string::npos);
  // The issued token works.
  EXPECT_EQ(env().http->Get("/v1/organisations", Bearer(token)).status, 200);
}

TEST_F(TokensApi, CreateWithAnExpirySetsExpiresAt) {
  const HttpResponse r = CreateViaApi(UniqueName("exp"), "auditor", ",\"expires_in_days\":30");
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_FALSE(r.json->isNull("expires_at"));
}

TEST_F(TokensApi, ListNeverShowsATokenOrItsHash) {
  const HttpResponse created = CreateViaApi(UniqueName("listed"), "provider");
  ASSERT_EQ(created.status, 201);
  const std::string token = created.json->getValue<std::string>("token");
  const HttpResponse list = env().Op("GET", "/v1/tokens");
  ASSERT_EQ(list.status, 200) << list.Describe();
  auto items = list.json->getArray("items");
  bool found = false;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    EXPECT_FALSE(item->has("token"));
    EXPECT_FALSE(item->has("token_hash"));
    if (item->getValue<std::string>("id") == created.json->getValue<std::string>("id")) {
      found = true;
      EXPECT_EQ(item->getValue<std::string>("prefix"), token.substr(0, 10));
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(list.body.find(token.substr(10)), std::string::npos);
  EXPECT_EQ(list.body.find(domain::HashToken(token)), std::string::npos);
}

TEST_F(TokensApi, DeleteRevokesAndTheRevokedTokenGets401) {
  const HttpResponse created = CreateViaApi(UniqueName("doomed"), "operator");
  ASSERT_EQ(created.status, 201);
  const std::string token = created.json->getValue<std::string>("token");
  const std::string id = created.json->getValue<std::string>("id");
  ASSERT_EQ(env().http->Get("/v1/organisations", Bearer(token)).status, 200);
  const int64_t before = env().db->AuditCount();
  const HttpResponse revoked = env().Op("DELETE", "/v1/tokens/" + id);
  ASSERT_EQ(revoked.status, 200) << revoked.Describe();
  EXPECT_FALSE(revoked.json->isNull("revoked_at"));
  EXPECT_FALSE(revoked.json->has("token"));
  EXPECT_EQ(env().db->AuditCount(), before + 1);
  ExpectProblem(env().http->Get("/v1/organisations", Bearer(token)), 401, "invalid_token");
  ExpectProblem(env().Op("DELETE", "/v1/tokens/" + id), 404, "");
  EXPECT_EQ(env().db->AuditCount(), before + 1);
}

TEST_F(TokensApi, DeleteOfAnUnknownOrMalformedIdIs404) {
  ExpectProblem(env().Op("DELETE", "/v1/tokens/3f6c1a9e-0000-4000-8000-000000000000"), 404, "");
  ExpectProblem(env().Op("DELETE", "/v1/tokens/not-a-uuid"), 404, "");
  ExpectProblem(env().Op("DELETE", "/v1/tokens/'%20OR%201=1"), 404, "");
}

TEST_F(TokensApi, CreateReportsEveryInvalidFieldByPath) {
  const HttpResponse r = env().Op(
      "POST", "/v1/tokens",
      std::string(R"({"name":"has space","role":"root","expires_in_days":0,"scope":"all"})"));
  ExpectProblem(r, 400, "validation_failed");
  const auto paths = ErrorPaths(r);
  for (const char* p : {"role", "expires_in_days", "scope"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p << " in " << r.body;
  }
  const HttpResponse name = CreateViaApi("has space", "operator");
  ExpectProblem(name, 400, "validation_failed");
  EXPECT_EQ(ErrorPaths(name), std::vector<std::string>{"name"});
  const HttpResponse missing = env().Op("POST", "/v1/tokens", std::string("{}"));
  ExpectProblem(missing, 400, "validation_failed");
  EXPECT_EQ(ErrorPaths(missing), (std::vector<std::string>{"name", "role"}));
}

TEST_F(TokensApi, ASecondActiveTokenWithTheSameNameIs409) {
  const std::string name = UniqueName("twice");
  ASSERT_EQ(CreateViaApi(name, "operator").status, 201);
  const int64_t before = env().db->AuditCount();
  const HttpResponse again = CreateViaApi(name, "auditor");
  ExpectProblem(again, 409, "token_name_taken");
  EXPECT_EQ(ErrorPaths(again), std::vector<std::string>{"name"});
  EXPECT_EQ(env().db->AuditCount(), before);
}

TEST_F(TokensApi, ListShowsWhenATokenWasLastUsed) {
  const HttpResponse created = CreateViaApi(UniqueName("used"), "operator");
  ASSERT_EQ(created.status, 201);
  const std::string id = created.json->getValue<std::string>("id");
  ASSERT_EQ(
      env()
          .http->Get("/v1/organisations", Bearer(created.json->getValue<std::string>("token")))
          .status,
      200);
  std::optional<bool> used;
  EXPECT_TRUE(WaitUntil(
      [&] {
        const HttpResponse list = env().Op("GET", "/v1/tokens");
        auto items = list.json->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i) {
          auto item = items->getObject(static_cast<unsigned>(i));
          if (item->getValue<std::string>("id") == id) used = !item->isNull("last_used_at");
        }
        return used.value_or(false);
      },
      3s, 100ms))
      << "last_used_at stays null after the token was used";
}

TEST_F(TokensApi, ChangesThroughTheApiLeaveAnIntactChain) {
  const HttpResponse created = CreateViaApi(UniqueName("chain"), "operator");
  ASSERT_EQ(created.status, 201);
  ASSERT_EQ(env().Op("DELETE", "/v1/tokens/" + created.json->getValue<std::string>("id")).status,
            200);
  const auto v = env().db->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, env().db->AuditCount());
}

}  // namespace
}  // namespace onboard::testsupport
