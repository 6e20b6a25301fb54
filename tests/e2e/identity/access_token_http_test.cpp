// JWT access tokens of API callers over HTTP (issue #17): tokens minted by a real OpenID
// provider (npm oidc-provider, client_credentials, JWT format) and by npm jose, checked by
// the real onboard-api: each scope opens exactly its routes (table-driven over every route
// of routes.cpp), organisation A never reaches B, a supplier manages its customers' clients
// and only those, key rotation at the issuer is picked up without restart, and a JWKS
// endpoint that is down keeps the cached keys until the limit, then 503.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "access_token.hpp"
#include "client_fixtures.hpp"
#include "e2e_shared_suite.hpp"
#include "identity_rig.hpp"
#include "router.hpp"

namespace onboard::testsupport {
namespace {

const std::string kOrgA = "974760673";
const std::string kOrgB = "991825827";
const std::string kSupplier = "310000019";
const std::string kCustomer = "310000027";

const IdpClient kClientA{"admin-a", "secret-a-0123456789", kOrgA};
const IdpClient kClientB{"admin-b", "secret-b-0123456789", kOrgB};
const IdpClient kClientS{"admin-s", "secret-s-0123456789", kSupplier};

std::vector<IdpClient> Clients() { return {kClientA, kClientB, kClientS}; }

/// One rig per test process (ctest runs each suite in its own process); started by the
/// first test's SetUp so a missing database or provider fails, never skips.
template <class Config>
class RigSuite : public SharedRigSuite<RigSuite<Config>, IdentityRig> {
 public:
  static std::unique_ptr<IdentityRig> StartRig() {
    auto rig = std::make_unique<IdentityRig>(Clients(), Config::Env());
    for (const auto& org : {kOrgA, kOrgB, kSupplier, kCustomer})
      rig->api().CreateOrg(org, "Org " + org);
    return rig;
  }

 protected:
  using SharedRigSuite<RigSuite<Config>, IdentityRig>::rig;

  /// A test client of `orgno` created by the operator; its client_id.
  static std::string OperatorClient(const std::string& orgno, const std::string& name) {
    const HttpResponse r = rig().api().Op("POST", "/v1/clients", Json(LoginClient(orgno, name)));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : "";
  }
};

struct NoExtra {
  static std::map<std::string, std::string> Env() { return {}; }
};

std::string Code(const HttpResponse& r) {
  return r.json && r.json->has("code") ? r.json->getValue<std::string>("code") : "";
}

std::set<std::string> ListedIds(const HttpResponse& r) {
  std::set<std::string> ids;
  Poco::JSON::Array::Ptr items;
  if (r.json)
    items = r.json->getArray("items");
  else if (r.parsed.type() == typeid(Poco::JSON::Array::Ptr))
    items = r.parsed.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; items && i < items->size(); ++i)
    ids.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("client_id"));
  return ids;
}

// ---------------------------------------------------------------------------------------
// Every route, every scope.

class AccessTokenScopes : public RigSuite<NoExtra> {
 protected:
  /// Calls every authenticated route with `token`; returns the routes that the scope gate
  /// let through (anything but 401 and the two scope refusals).
  std::set<std::string> RoutesLetThrough(const std::string& token, const std::string& client_id,
                                         std::string* refusal_without_scope_name) {
    std::set<std::string> through;
    for (const auto& route : http::ApiRoutes()) {
      if (route.roles == http::kPublic) continue;
      std::string path = route.path;
      path = std::regex_replace(path, std::regex("\\{client_id\\}"), client_id);
      path = std::regex_replace(path, std::regex("\\{orgno\\}"), kOrgA);
      path = std::regex_replace(path, std::regex("\\{[a-z_]+\\}"),
                                "00000000-0000-4000-8000-000000000000");
      std::optional<std::string> body;
      if (route.method == "POST" || route.method == "PUT" || route.method == "PATCH") body = "{}";
      const HttpResponse r = rig().http().Request(
          route.method, path, IdentityRig::Bearer(token), body,
          route.method == "PATCH" ? "application/merge-patch+json" : "application/json");
      const std::string name = route.method + " " + route.path;
      EXPECT_NE(r.status, 401) << name << ": " << r.Describe();
      const std::string code = Code(r);
      // The RFC 7591 routes answer in their own shape ({error, error_description}).
      const bool oauth_refusal = r.body.find("access tokens may not call") != std::string::npos;
      if (r.status == 403 &&
          (code == "insufficient_scope" || code == "access_token_not_allowed" || oauth_refusal)) {
        if (code == "insufficient_scope" && refusal_without_scope_name &&
            r.body.find("idporten:dcr") == std::string::npos)
          *refusal_without_scope_name = name;
        continue;
      }
      through.insert(name);
    }
    return through;
  }

  void CheckTable(const std::function<std::string(const std::string&)>& mint) {
    const std::vector<std::string> scopes = {"idporten:dcr.read", "idporten:dcr.modify",
                                             "idporten:dcr.write", "idporten:dcr/onbehalfof:write",
                                             "idporten:dcr.supplier"};
    for (const auto& scope : scopes) {
      SCOPED_TRACE(scope);
      const std::string client_id = OperatorClient(kOrgA, "Tabell " + scope);
      std::set<std::string> expected;
      const unsigned granted = domain::PermissionsForScopes({scope});
      const bool supplier = scope == domain::kScopeSupplier;
      for (const auto& route : http::ApiRoutes()) {
        if (route.roles == http::kPublic || route.permission == domain::Permission::kNone) continue;
        if (supplier || (granted & domain::Bit(route.permission)) != 0)
          expected.insert(route.method + " " + route.path);
      }
      std::string unnamed;
      const std::set<std::string> through = RoutesLetThrough(mint(scope), client_id, &unnamed);
      EXPECT_EQ(through, expected);
      EXPECT_EQ(unnamed, "") << "a 403 for a missing scope must name the scope";
    }
  }
};

TEST_F(AccessTokenScopes, EachScopeOfTheProvidersTokensAllowsExactlyItsRoutes) {
  CheckTable([](const std::string& scope) { return rig().IdpToken(kClientA, scope); });
}

TEST_F(AccessTokenScopes, EachScopeOfJoseMintedTokensAllowsExactlyItsRoutes) {
  CheckTable([](const std::string& scope) { return rig().JoseToken(kOrgA, scope); });
}

TEST_F(AccessTokenScopes, AMissingScopeIs403NamingTheScope) {
  const std::string token = rig().IdpToken(kClientA, "idporten:dcr.read");
  const HttpResponse r = rig().http().Request("POST", "/v1/clients", IdentityRig::Bearer(token),
                                              Json(LoginClient(kOrgA)));
  ExpectProblem(r, 403, "insufficient_scope");
  EXPECT_NE(r.body.find("idporten:dcr.write"), std::string::npos) << r.body;
  EXPECT_NE(r.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Organisations and suppliers.

class AccessTokenOrganisations : public RigSuite<NoExtra> {};

TEST_F(AccessTokenOrganisations, TheOrganisationComesFromTheTokenNeverFromAHeader) {
  const std::string b_client = OperatorClient(kOrgB, "B sin");
  const std::string token = rig().IdpToken(kClientA, "idporten:dcr.write");
  const HttpResponse r = rig().http().Get(
      "/v1/clients/" + b_client,
      IdentityRig::Bearer(token, {{"X-Onboard-Org", kOrgB}, {"X-Onboard-User", "mallory"}}));
  ExpectProblem(r, 404, "not_found");
  const HttpResponse created = rig().http().Request(
      "POST", "/v1/clients", IdentityRig::Bearer(token), Json(LoginClient(kOrgA, "A via token")));
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.json->getValue<std::string>("client_orgno"), kOrgA);
}

TEST_F(AccessTokenOrganisations, OrganisationAGets404ForEveryClientOfB) {
  const std::string a_client = OperatorClient(kOrgA, "A sin");
  const std::string b_client = OperatorClient(kOrgB, "B sin");
  for (const std::string& token : {rig().IdpToken(kClientA, "idporten:dcr.write"),
                                   rig().JoseToken(kOrgA, "idporten:dcr.write")}) {
    const auto h = IdentityRig::Bearer(token, {{"If-Match", "\"1\""}});
    ExpectProblem(rig().http().Get("/v1/clients/" + b_client, h), 404, "not_found");
    ExpectProblem(rig().http().Get("/v1/clients/" + b_client + "/jwks", h), 404, "not_found");
    ExpectProblem(rig().http().Request("PUT", "/v1/clients/" + b_client, h,
                                       Json(LoginClient(kOrgB, "overtatt"))),
                  404, "not_found");
    ExpectProblem(rig().http().Post("/v1/clients/" + b_client + "/deactivate", "{}", h), 404,
                  "not_found");
    ExpectProblem(rig().http().Post("/v1/clients/" + b_client + "/secret", "{}", h), 404,
                  "not_found");
    const HttpResponse mine = rig().http().Get("/v1/clients/" + a_client, h);
    EXPECT_EQ(mine.status, 200) << mine.Describe();
    const auto listed = ListedIds(rig().http().Get("/v1/clients?limit=200", h));
    EXPECT_TRUE(listed.count(a_client));
    EXPECT_FALSE(listed.count(b_client));
    const auto asked_b =
        ListedIds(rig().http().Get("/v1/clients?limit=200&organisation=" + kOrgB, h));
    EXPECT_TRUE(asked_b.empty());
  }
  // Creating a client for B without the supplier scope is refused.
  const HttpResponse r = rig().http().Request(
      "POST", "/v1/clients", IdentityRig::Bearer(rig().IdpToken(kClientA, "idporten:dcr.write")),
      Json(LoginClient(kOrgB, "for B")));
  EXPECT_EQ(r.status, 400) << r.Describe();
}

TEST_F(AccessTokenOrganisations, ASupplierManagesItsCustomersClientsAndOnlyThose) {
  const std::string customer_own = OperatorClient(kCustomer, "Kundens egen");
  const std::string supplier_own = OperatorClient(kSupplier, "Leverandørens egen");
  const std::string token = rig().IdpToken(kClientS, "idporten:dcr.supplier");
  const auto h = IdentityRig::Bearer(token);
  const HttpResponse created =
      rig().http().Request("POST", "/v1/clients", h, Json(LoginClient(kCustomer, "Levert")));
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.json->getValue<std::string>("client_orgno"), kCustomer);
  EXPECT_EQ(created.json->getValue<std::string>("supplier_orgno"), kSupplier);
  const std::string supplied = created.json->getValue<std::string>("client_id");

  EXPECT_EQ(rig().http().Get("/v1/clients/" + supplied, h).status, 200);
  const HttpResponse etag_get = rig().http().Get("/v1/clients/" + supplied, h);
  const auto with_etag = IdentityRig::Bearer(token, {{"If-Match", etag_get.Header("ETag")}});
  auto changed = LoginClient(kCustomer, "Levert, endret");
  const HttpResponse put =
      rig().http().Request("PUT", "/v1/clients/" + supplied, with_etag, Json(changed));
  EXPECT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(ListedIds(rig().http().Get("/v1/clients?limit=200", h)),
            std::set<std::string>{supplied});
  // The customer's own client and the supplier's own are not the supplier's to see.
  ExpectProblem(rig().http().Get("/v1/clients/" + customer_own, h), 404, "not_found");
  ExpectProblem(rig().http().Get("/v1/clients/" + supplier_own, h), 404, "not_found");
  // A supplier cannot hand a client to a third organisation.
  auto third = LoginClient(kCustomer, "Tredjepart");
  third->set("supplier_orgno", kOrgB);
  const HttpResponse refused = rig().http().Request("POST", "/v1/clients", h, Json(third));
  EXPECT_EQ(refused.status, 400) << refused.Describe();
  EXPECT_TRUE(HasFieldError(refused, "supplier_orgno", "not_own_organisation"));
  // The customer's own token sees the supplied client as its own.
  const auto customer = IdentityRig::Bearer(rig().JoseToken(kCustomer, "idporten:dcr.read"));
  EXPECT_EQ(rig().http().Get("/v1/clients/" + supplied, customer).status, 200);
}

TEST_F(AccessTokenOrganisations, InvalidTokensAre401AndNeverLogged) {
  const std::string good = rig().IdpToken(kClientA, "idporten:dcr.read");
  const std::string forged_payload =
      good.substr(0, good.find('.') + 1) + "eyJpc3MiOiJ4In0" + good.substr(good.rfind('.'));
  const std::string expired = rig().JoseToken(
      kOrgA, "idporten:dcr.read", ",\"exp\":" + std::to_string(std::time(nullptr) - 3600));
  for (const std::string& token : {forged_payload, expired, std::string("a.b.c")}) {
    const HttpResponse r = rig().http().Get("/v1/clients", IdentityRig::Bearer(token));
    ExpectProblem(r, 401, "invalid_token");
  }
  // No token (not even its signature) reaches the log.
  const std::string log = rig().api().api->log();
  for (const std::string& token : {good, forged_payload, expired}) {
    EXPECT_EQ(log.find(token.substr(token.rfind('.') + 1)), std::string::npos)
        << "a token's signature reached the log";
  }
}

// ---------------------------------------------------------------------------------------
// Keys at the issuer.

struct FastKeys {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_ACCESS_TOKENS_JWKS_REFRESH_S", "1"},
            {"ONBOARD_ACCESS_TOKENS_JWKS_MAX_AGE_S", "6"},
            {"ONBOARD_ACCESS_TOKENS_JWKS_TIMEOUT_MS", "500"}};
  }
};
class AccessTokenIssuerKeys : public RigSuite<FastKeys> {};

TEST_F(AccessTokenIssuerKeys, KeyRotationAtTheIssuerIsPickedUpWithoutRestart) {
  const std::string before = rig().IdpToken(kClientA, "idporten:dcr.read");
  EXPECT_EQ(rig().http().Get("/v1/clients", IdentityRig::Bearer(before)).status, 200);
  rig().StopIdp();
  rig().StartIdp(/*rotate=*/true);
  const std::string after = rig().IdpToken(kClientA, "idporten:dcr.read");
  const auto kid_of = [](const std::string& jwt) { return jwt.substr(0, jwt.find('.')); };
  ASSERT_NE(kid_of(before), kid_of(after)) << "the provider did not rotate its key";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // min interval of the test
  const HttpResponse r = rig().http().Get("/v1/clients", IdentityRig::Bearer(after));
  EXPECT_EQ(r.status, 200) << r.Describe();
  // The old key is gone from the issuer's JWKS: its tokens no longer verify.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ExpectProblem(rig().http().Get("/v1/clients", IdentityRig::Bearer(before)), 401, "invalid_token");
}

TEST_F(AccessTokenIssuerKeys, AJwksEndpointThatIsDownKeepsCachedKeysUntilTheLimitThen503) {
  const std::string token = rig().IdpToken(kClientA, "idporten:dcr.read");
  ASSERT_EQ(rig().http().Get("/v1/clients", IdentityRig::Bearer(token)).status, 200);
  const auto last_good = std::chrono::steady_clock::now();
  rig().StopIdp();
  // Refresh is due every second; each attempt fails, the cached keys keep working.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const HttpResponse r = rig().http().Get("/v1/clients", IdentityRig::Bearer(token));
    if (std::chrono::steady_clock::now() - last_good < std::chrono::seconds(5)) {
      EXPECT_EQ(r.status, 200) << "cached keys must stay in use: " << r.Describe();
    }
  }
  while (std::chrono::steady_clock::now() - last_good < std::chrono::milliseconds(6500))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const HttpResponse stale = rig().http().Get("/v1/clients", IdentityRig::Bearer(token));
  ExpectProblem(stale, 503, "issuer_keys_unavailable");
  EXPECT_TRUE(stale.HasHeader("Retry-After"));
  rig().StartIdp(/*rotate=*/false);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(rig().http().Get("/v1/clients", IdentityRig::Bearer(token)).status, 200);
}

// ---------------------------------------------------------------------------------------
// auth.portal_header_trust

TEST(PortalHeaderTrust, OffRefusesUnboundPortalTokensAndKeepsBoundOnes) {
  auto env = ApiEnv::Start({{"ONBOARD_AUTH_PORTAL_HEADER_TRUST", "false"}});
  env->CreateOrg(kOrgA, "A");
  const HttpResponse unbound = env->Portal(kOrgA, "GET", "/v1/clients");
  ExpectProblem(unbound, 403, "unbound_portal_token");
  const CliResult made =
      RunCli({"token", "create", "--role", "portal", "--name", "bound-a", "--organisation", kOrgA},
             {{"ONBOARD_DATABASE_URL", env->db->url()}});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(made.out, m, std::regex("onb_[A-Za-z0-9_-]+"))) << made.out;
  const HttpResponse bound = env->http->Get("/v1/clients", Bearer(m.str(0)));
  EXPECT_EQ(bound.status, 200) << bound.Describe();
}

}  // namespace
}  // namespace onboard::testsupport
