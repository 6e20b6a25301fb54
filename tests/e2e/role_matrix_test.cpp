#include <regex>
#include <set>

#include "e2e_helpers.hpp"
#include "roles.hpp"
#include "router.hpp"

namespace onboard::testsupport {
namespace {

using RoleMatrix = ApiSuite<DefaultConfig>;

const std::string kPortalOrg = "974760673";
const std::set<std::string> kProbes = {"/healthz", "/readyz", "/metrics", "/openapi.json"};

// Plausible values for path parameters: an organisation number for {…orgno…}, a UUID
// for ids, so that routing and validation of the value itself do not decide the answer.
std::string Concrete(const std::string& tmpl) {
  std::string path = std::regex_replace(tmpl, std::regex(R"(\{[^}]*orgno[^}]*\})"), kPortalOrg);
  return std::regex_replace(path, std::regex(R"(\{[^}]+\})"),
                            "00000000-0000-4000-8000-000000000000");
}

struct Caller {
  std::string name;
  std::optional<domain::Role> role;
  Headers headers;
};

TEST_F(RoleMatrix, EveryRouteLetsItsRolesInAndKeepsEveryoneElseOut) {
  env().CreateOrg(kPortalOrg, "Portal's own");
  const std::vector<Caller> callers = {
      {"no token", std::nullopt, {}},
      {"operator", domain::Role::kOperator, Bearer(env().op.secret)},
      {"portal", domain::Role::kPortal,
       Bearer(env().portal.secret, {{"X-Onboard-Org", kPortalOrg}, {"X-Onboard-User", "kari"}})},
      {"auditor", domain::Role::kAuditor, Bearer(env().auditor.secret)},
      {"provider", domain::Role::kProvider, Bearer(env().provider.secret)},
  };
  int checked = 0;
  for (const auto& route : http::ApiRoutes()) {
    const std::string path = Concrete(route.path);
    const bool has_body =
        route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
    for (const auto& caller : callers) {
      SCOPED_TRACE(caller.name + " " + route.method + " " + route.path);
      const HttpResponse r =
          env().http->Request(route.method, path, caller.headers,
                              has_body ? std::optional<std::string>("{}") : std::nullopt);
      ++checked;
      EXPECT_LT(r.status, 500) << r.Describe();
      if (route.roles == http::kPublic) {
        if (kProbes.count(route.path) != 0) {
          EXPECT_EQ(r.status, 200) << r.Describe();
        } else if (route.path == "/v1/callbacks/sms") {
          EXPECT_EQ(r.status, 403)
              << r.Describe();  // no X-Twilio-Signature: refused whatever the token
        } else {
          EXPECT_NE(r.status, 403) << r.Describe();  // public routes that authenticate themselves
        }
      } else if (!caller.role) {
        EXPECT_EQ(r.status, 401) << r.Describe();
        EXPECT_FALSE(r.Header("WWW-Authenticate").empty());
      } else if ((route.roles & domain::RoleBit(*caller.role)) != 0) {
        EXPECT_NE(r.status, 401) << r.Describe();
        EXPECT_NE(r.status, 403) << r.Describe();
      } else {
        EXPECT_EQ(r.status, 403) << r.Describe();
      }
    }
  }
  EXPECT_GE(checked, 11 * 5);
  // Nothing in the matrix changed anything: every body was "{}".
}

TEST_F(RoleMatrix, AForbiddenAnswerNamesTheRoleButNotWhoMay) {
  const HttpResponse r = env().http->Get("/v1/tokens", Bearer(env().auditor.secret));
  ExpectProblem(r, 403, "forbidden");
  EXPECT_NE(r.json->getValue<std::string>("detail").find("auditor"), std::string::npos);
  EXPECT_EQ(r.json->getValue<std::string>("detail").find("operator"), std::string::npos);
}

}  // namespace
}  // namespace onboard::testsupport
