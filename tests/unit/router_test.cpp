#include <gtest/gtest.h>

#include <set>

#include "roles.hpp"
#include "router.hpp"

namespace onboard::http {
namespace {

void Noop(RequestContext&, AppServices&) {}

const Router& Api() {
  static const Router router(ApiRoutes());
  return router;
}

TEST(Router, MatchesAFixedPath) {
  const RouteMatch m = Api().Match("GET", "/healthz");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/healthz");
  EXPECT_TRUE(m.params.empty());
}

TEST(Router, ExtractsAPathParameterByItsTemplateName) {
  const RouteMatch m = Api().Match("GET", "/v1/organisations/974760673");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/v1/organisations/{orgno}");
  EXPECT_EQ(m.params.at("orgno"), "974760673");
}

TEST(Router, PercentDecodesPathParameters) {
  const RouteMatch m = Api().Match("GET", "/v1/organisations/97%34760673");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("orgno"), "974760673");
  const RouteMatch slash = Api().Match("PATCH", "/v1/organisations/a%2Fb%20c");
  ASSERT_NE(slash.route, nullptr);
  EXPECT_EQ(slash.params.at("orgno"), "a/b c");
}

TEST(Router, DoesNotMatchABrokenPercentEncoding) {
  for (const char* path :
       {"/v1/organisations/%zz", "/v1/organisations/abc%", "/v1/organisations/abc%4"}) {
    const RouteMatch m = Api().Match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, ComparesLiteralSegmentsExactly) {
  EXPECT_EQ(Api().Match("GET", "/v1/organisation%73").route, nullptr);
  EXPECT_EQ(Api().Match("GET", "/V1/organisations").route, nullptr);
  EXPECT_EQ(Api().Match("GET", "/HEALTHZ").route, nullptr);
}

TEST(Router, ReturnsNoRouteAndNoAllowedMethodsForAnUnknownPath) {
  for (const char* path : {"/", "/nope", "/v1", "/v1/organisations/974760673/extra", "/healthz/",
                           "/v1/organisations/", "", "healthz", "//healthz"}) {
    const RouteMatch m = Api().Match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, ListsTheAllowedMethodsWhenOnlyTheMethodIsWrong) {
  const RouteMatch m = Api().Match("DELETE", "/v1/organisations");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(std::set<std::string>(m.allowed.begin(), m.allowed.end()),
            (std::set<std::string>{"GET", "POST"}));

  const RouteMatch one = Api().Match("PUT", "/v1/organisations/974760673");
  EXPECT_EQ(std::set<std::string>(one.allowed.begin(), one.allowed.end()),
            (std::set<std::string>{"GET", "PATCH"}));

  const RouteMatch health = Api().Match("POST", "/healthz");
  EXPECT_EQ(health.allowed, std::vector<std::string>{"GET"});
}

TEST(Router, TreatsMethodsCaseSensitively) {
  const RouteMatch m = Api().Match("get", "/healthz");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, std::vector<std::string>{"GET"});
}

TEST(Router, MatchesTemplatesWithSeveralParameters) {
  const Router r({{"GET", "/a/{x}/b/{y}", kPublic, Noop}, {"GET", "/a/{x}", kPublic, Noop}});
  const RouteMatch m = r.Match("GET", "/a/1/b/two");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/a/{x}/b/{y}");
  EXPECT_EQ(m.params.at("x"), "1");
  EXPECT_EQ(m.params.at("y"), "two");
  EXPECT_EQ(r.Match("GET", "/a/1/c/two").route, nullptr);
  EXPECT_EQ(r.Match("GET", "/a/1").route->path, "/a/{x}");
}

TEST(Router, PrefersTheFirstRouteOfTheTableForTheSamePath) {
  const Router r({{"GET", "/a/fixed", kPublic, Noop}, {"GET", "/a/{x}", kPublic, Noop}});
  EXPECT_EQ(r.Match("GET", "/a/fixed").route->path, "/a/fixed");
  EXPECT_EQ(r.Match("GET", "/a/other").route->path, "/a/{x}");
}

TEST(ApiRoutes, HasNoDuplicateMethodAndPath) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& r : ApiRoutes())
    EXPECT_TRUE(seen.insert({r.method, r.path}).second) << r.method << " " << r.path;
}

TEST(ApiRoutes, MakesTheProbesMetricsAndOpenapiPublic) {
  std::set<std::string> public_paths;
  for (const auto& r : ApiRoutes()) {
    EXPECT_NE(r.handler, nullptr) << r.path;
    if (r.roles == kPublic) public_paths.insert(r.method + " " + r.path);
  }
  for (const char* probe : {"GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json"}) {
    EXPECT_EQ(public_paths.count(probe), 1u) << probe;
  }
}

TEST(ApiRoutes, RequiresARoleForEveryVersionedApiRoute) {
  for (const auto& r : ApiRoutes()) {
    // The SMS provider's delivery reports carry no bearer token: X-Twilio-Signature
    // authenticates them (issue #5).
    if (r.method == "POST" && r.path == "/v1/callbacks/sms") continue;
    // Console sign-in: the personal token in the body is the credential (issue #16).
    if (r.method == "POST" && r.path == "/v1/sessions") continue;
    // Single sign-on (issue #17): the browser's flow; the identity provider authenticates.
    if (r.method == "GET" &&
        (r.path == "/v1/sessions/methods" || r.path == "/v1/sessions/oidc/start" ||
         r.path == "/v1/sessions/oidc/callback"))
      continue;
    if (r.path.rfind("/v1/", 0) == 0) {
      EXPECT_NE(r.roles, kPublic) << r.method << " " << r.path;
    }
  }
}

TEST(ApiRoutes, LetsOnlyOperatorsManageTokens) {
  for (const auto& r : ApiRoutes()) {
    if (r.path.rfind("/v1/tokens", 0) == 0) {
      EXPECT_EQ(r.roles, domain::RoleBit(domain::Role::kOperator)) << r.method << " " << r.path;
    }
  }
}

TEST(ApiRoutes, LetsOperatorsAndPortalsButNotAuditorsOrProvidersChangeOrganisations) {
  for (const auto& r : ApiRoutes()) {
    if (r.path != "/v1/organisations" && r.path != "/v1/organisations/{orgno}") continue;
    EXPECT_NE(r.roles & domain::RoleBit(domain::Role::kOperator), 0u) << r.method << " " << r.path;
    EXPECT_NE(r.roles & domain::RoleBit(domain::Role::kPortal), 0u) << r.method << " " << r.path;
    if (r.method != "GET") {
      EXPECT_EQ(r.roles & domain::RoleBit(domain::Role::kAuditor), 0u) << r.method << " " << r.path;
      EXPECT_EQ(r.roles & domain::RoleBit(domain::Role::kProvider), 0u)
          << r.method << " " << r.path;
    }
  }
}

}  // namespace
}  // namespace onboard::http
