// The provider's self-service API shape over HTTP (issue #17): customers' automation with
// access tokens minted by the real OpenID provider (npm oidc-provider, client_credentials)
// runs the journey the provider documents against /clients, and each scope opens exactly
// the routes the provider's table gives it (a table written out here, not derived from
// routes.cpp, so a wrong permission on a route fails).
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "client_fixtures.hpp"
#include "evidence.hpp"
#include "e2e_shared_suite.hpp"
#include "identity_rig.hpp"

namespace onboard::testsupport {
namespace {

const std::string kOrgA = "974760673";
const std::string kOrgB = "991825827";
const IdpClient kClientA{"admin-a", "secret-a-0123456789", kOrgA};
const IdpClient kClientB{"admin-b", "secret-b-0123456789", kOrgB};

class SelfService : public SharedRigSuite<SelfService, IdentityRig> {
 public:
  static std::unique_ptr<IdentityRig> StartRig() {
    auto rig = std::make_unique<IdentityRig>(std::vector<IdpClient>{kClientA, kClientB});
    for (const auto& org : {kOrgA, kOrgB}) rig->api().CreateOrg(org, "Org " + org);
    return rig;
  }

 protected:
  static HttpResponse Call(const std::string& token, const std::string& method,
                           const std::string& path,
                           const std::optional<std::string>& body = std::nullopt) {
    return rig().http().Request(method, path, IdentityRig::Bearer(token), body);
  }
  static std::string Id(const HttpResponse& r) {
    return r.json && r.json->has("client_id") ? r.json->getValue<std::string>("client_id") : "";
  }
};

std::string Code(const HttpResponse& r) {
  return r.json && r.json->has("code") ? r.json->getValue<std::string>("code") : "";
}

std::string KeySet(const std::vector<std::pair<std::string, const pki::Key*>>& keys) {
  std::string out = "{\"keys\":[";
  for (std::size_t i = 0; i < keys.size(); ++i)
    out += (i ? "," : "") + keys[i].second->PublicJwk(keys[i].first, "RS256");
  return out + "]}";
}

std::set<std::string> Kids(const HttpResponse& r) {
  std::set<std::string> out;
  const auto keys = r.json ? r.json->getArray("keys") : nullptr;
  for (std::size_t i = 0; keys && i < keys->size(); ++i)
    out.insert(keys->getObject(static_cast<unsigned>(i))->getValue<std::string>("kid"));
  return out;
}

std::set<std::string> ListedIds(const HttpResponse& r) {
  std::set<std::string> out;
  if (r.parsed.type() != typeid(Poco::JSON::Array::Ptr)) return out;
  const auto items = r.parsed.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < items->size(); ++i)
    out.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("client_id"));
  return out;
}

Poco::JSON::Object::Ptr MachineClient(const std::string& orgno, const pki::Key& key) {
  auto body = LoginClient(orgno, "Maskin");
  body->set("integration_type", "maskinporten");
  body->remove("redirect_uris");
  body->remove("post_logout_redirect_uris");
  body->set("token_endpoint_auth_method", "private_key_jwt");
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
  scopes->add(std::string("digdir:dialogporten"));
  body->set("scopes", scopes);
  Poco::JSON::Array::Ptr jwks = new Poco::JSON::Array;
  jwks->add(ParseObject(key.PublicJwk("m1", "RS256")));
  body->set("jwks", jwks);
  return body;
}

std::string Entry(const std::string& value, const std::string& name, const std::string& orgno) {
  return R"({"onbehalfof":")" + value + R"(","display_name":")" + name + R"(","orgno":")" + orgno +
         R"(","url":"https://kunde.example/"})";
}

TEST_F(SelfService, TheProvidersJourneyRunsAgainstTheSameShape) {
  const std::string t = rig().IdpToken(kClientA, "idporten:dcr.write");
  const pki::Key k1 = pki::Key::Rsa(2048), k2 = pki::Key::Rsa(2048), k3 = pki::Key::Rsa(2048);

  // A maskinporten client with a JWKS; then the whole set is replaced.
  const HttpResponse created = Call(t, "POST", "/clients", Json(MachineClient(kOrgA, k1)));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string m = Id(created);
  EXPECT_EQ(Kids(Call(t, "GET", "/clients/" + m + "/jwks")), (std::set<std::string>{"m1"}));
  const HttpResponse replaced =
      Call(t, "PUT", "/clients/" + m + "/jwks", KeySet({{"m2", &k2}, {"m3", &k3}}));
  ASSERT_EQ(replaced.status, 200) << replaced.Describe();
  EXPECT_EQ(Kids(replaced), (std::set<std::string>{"m2", "m3"}));
  EXPECT_EQ(Kids(Call(t, "GET", "/clients/" + m + "/jwks")), (std::set<std::string>{"m2", "m3"}));
  // Posting m2 again keeps it, renewed for a year from now (its life is made short first),
  // and drops m3 (marked removed, not deleted).
  const std::string db = rig().api().db->url();
  ExecSql(db, "UPDATE client_keys SET not_after = now() + interval '10 days' WHERE client_id = '" +
                  m + "' AND kid = 'm2'");
  const HttpResponse again = Call(t, "POST", "/clients/" + m + "/jwks", KeySet({{"m2", &k2}}));
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(Kids(again), (std::set<std::string>{"m2"}));
  EXPECT_EQ(QueryScalar(db,
                        "SELECT (not_after BETWEEN now() + interval '364 days' AND now() + "
                        "interval '366 days')::text FROM client_keys WHERE client_id = '" +
                            m + "' AND kid = 'm2' AND removed_at IS NULL"),
            std::optional<std::string>("true"))
      << "re-posting a key renews its one-year life";
  EXPECT_EQ(QueryScalar(db, "SELECT count(*)::text FROM client_keys WHERE client_id = '" + m +
                                "' AND kid = 'm3' AND removed_at IS NOT NULL"),
            std::optional<std::string>("1"));
  const HttpResponse dup =
      Call(t, "PUT", "/clients/" + m + "/jwks", KeySet({{"d", &k1}, {"d", &k2}}));
  EXPECT_EQ(dup.status, 400) << dup.Describe();
  const HttpResponse six =
      Call(t, "PUT", "/clients/" + m + "/jwks",
           KeySet({{"a", &k1}, {"b", &k2}, {"c", &k3}, {"d", &k1}, {"e", &k2}, {"f", &k3}}));
  EXPECT_EQ(six.status, 400) << six.Describe();
  EXPECT_EQ(Kids(Call(t, "GET", "/clients/" + m + "/jwks")), (std::set<std::string>{"m2"}))
      << "a refused set changes nothing";
  // Another organisation's token does not see it.
  const std::string tb = rig().IdpToken(kClientB, "idporten:dcr.write");
  EXPECT_EQ(Call(tb, "GET", "/clients/" + m).status, 404);
  EXPECT_EQ(Call(tb, "PUT", "/clients/" + m + "/jwks", KeySet({{"x", &k1}})).status, 404);

  // An ID-porten client gets a new secret, shown once.
  const HttpResponse login = Call(t, "POST", "/clients", Json(LoginClient(kOrgA, "Innlogging")));
  ASSERT_EQ(login.status, 201) << login.Describe();
  const std::string i = Id(login);
  const HttpResponse secret = Call(t, "POST", "/clients/" + i + "/secret");
  ASSERT_TRUE(secret.status == 200 || secret.status == 201) << secret.Describe();
  ASSERT_TRUE(secret.json && secret.json->has("client_secret")) << secret.Describe();
  evidence::RecordSecret(secret.json->getValue<std::string>("client_secret"));

  // onbehalfof entries: a sub-resource with GET/POST/PUT/DELETE.
  const std::string base = "/clients/" + i + "/onbehalfof";
  ASSERT_EQ(Call(t, "POST", base, Entry("kunde1", "Kunde En", kOrgB)).status, 201);
  const HttpResponse twice = Call(t, "POST", base, Entry("kunde1", "Kunde En", kOrgB));
  EXPECT_EQ(twice.status, 409) << twice.Describe();
  EXPECT_EQ(Code(twice), "onbehalfof_exists");
  const HttpResponse second =
      Call(t, "POST", base + "/kunde2", R"({"display_name":"Kunde To","orgno":")" + kOrgA + "\"}");
  ASSERT_EQ(second.status, 201) << second.Describe();
  const HttpResponse list = Call(t, "GET", base);
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.parsed.extract<Poco::JSON::Array::Ptr>()->size(), 2u);
  const HttpResponse put = Call(t, "PUT", base + "/kunde1", Entry("kunde1", "Kunde Én AS", kOrgB));
  ASSERT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(Call(t, "GET", base + "/kunde1").json->getValue<std::string>("display_name"),
            "Kunde Én AS");
  const HttpResponse bad = Call(t, "PUT", base + "/kunde1", Entry("kunde1", "X", "123456789"));
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_TRUE(HasFieldError(bad, "orgno", "invalid_orgno")) << bad.Describe();
  EXPECT_EQ(Call(t, "DELETE", base + "/kunde2").status, 204);
  EXPECT_EQ(Call(t, "GET", base + "/kunde2").status, 404);
  EXPECT_EQ(Call(t, "DELETE", base + "/kunde2").status, 404);
  const auto records = Call(t, "GET", "/clients/" + i).json->getArray("onbehalfof");
  ASSERT_TRUE(records);
  EXPECT_EQ(records->size(), 1u) << "the entries are the client's onbehalfof metadata";

  // DELETE deactivates; the list shows it only with inactive=true.
  const HttpResponse gone = Call(t, "DELETE", "/clients/" + i);
  ASSERT_EQ(gone.status, 200) << gone.Describe();
  EXPECT_EQ(gone.json->getValue<std::string>("state"), "deactivated");
  const std::set<std::string> active = ListedIds(Call(t, "GET", "/clients"));
  const std::set<std::string> inactive = ListedIds(Call(t, "GET", "/clients?inactive=true"));
  EXPECT_TRUE(active.count(m) == 1 && active.count(i) == 0);
  EXPECT_TRUE(inactive.count(i) == 1 && inactive.count(m) == 0);
  EXPECT_EQ(Call(t, "GET", "/clients/" + i).status, 200) << "nothing is ever deleted";
}

/// The journey up to an approved production order of `orgno` (entered by the portal,
/// approved by the operator team): the production client's id. Its order's contacts are
/// +4791234567 and ola@example.no.
std::string ApprovedProductionClient(ApiEnv& api, const std::string& orgno) {
  const std::string test_client = CreateOrderableLoginClient(api, orgno);
  const std::string case_id =
      CaseReadyForOrder(api, orgno, test_client, TermsAnswer::kCreatedOrAlreadyPublished);
  const Poco::JSON::Object order =
      journey::ProductionOrderBody(test_client, journey::SmsZipDelivery(), LoginClientUris());
  const HttpResponse ordered =
      api.Portal(orgno, "POST", "/v1/onboardings/" + case_id + "/production-orders", Json(order));
  EXPECT_EQ(ordered.status, 201) << ordered.Describe();
  const std::string order_id = ordered.json ? ordered.json->getValue<std::string>("id") : "";
  const HttpResponse approved = api.Op("POST", "/v1/production-orders/" + order_id + "/approve");
  EXPECT_EQ(approved.status, 200) << approved.Describe();
  return approved.json ? approved.json->optValue<std::string>("production_client_id", "") : "";
}

TEST_F(SelfService, AProductionClientsNewSecretGoesToItsOrdersContactsAsZipAndSms) {
  const std::string production = ApprovedProductionClient(rig().api(), kOrgA);
  ASSERT_FALSE(production.empty());
  const std::string t = rig().IdpToken(kClientA, "idporten:dcr.write");
  const std::string path = "/clients/" + production + "/secret";

  // The caller cannot choose where a production secret goes.
  const HttpResponse named = Call(t, "POST", path, R"({"mobile":"+4799999999"})");
  ASSERT_EQ(named.status, 400) << named.Describe();
  EXPECT_TRUE(HasFieldError(named, "mobile", "destination_fixed")) << named.Describe();

  const HttpResponse issued = Call(t, "POST", path);
  ASSERT_EQ(issued.status, 202) << issued.Describe();
  EXPECT_FALSE(issued.json->has("client_secret")) << "a production secret is never in the answer";
  EXPECT_EQ(issued.json->getValue<std::string>("channel"), "email");
  const std::string delivery = issued.json->getValue<std::string>("delivery_id");
  const HttpResponse d = rig().api().Op("GET", "/v1/deliveries/" + delivery);
  ASSERT_EQ(d.status, 200) << d.Describe();
  EXPECT_EQ(d.json->getValue<std::string>("client_id"), production);
  EXPECT_EQ(d.json->getObject("recipients")->getValue<std::string>("mobile"), "+4791234567");
  EXPECT_EQ(d.json->getObject("recipients")->getValue<std::string>("email"), "ola@example.no");
  // The zip goes by e-mail and its password by SMS (queued for the courier).
  const auto steps = d.json->getObject("steps");
  EXPECT_EQ(steps->getObject("email")->getValue<std::string>("state"), "queued") << d.body;
  EXPECT_EQ(steps->getObject("sms")->getValue<std::string>("state"), "queued") << d.body;

  // Another organisation does not see the client; a read scope may not ask for a secret.
  EXPECT_EQ(Call(rig().IdpToken(kClientB, "idporten:dcr.write"), "POST", path).status, 404);
  const HttpResponse read = Call(rig().IdpToken(kClientA, "idporten:dcr.read"), "POST", path);
  EXPECT_EQ(read.status, 403) << read.Describe();
}

// The provider's scope table for the /clients routes, written out.
TEST_F(SelfService, EachScopeOpensExactlyTheProvidersRoutes) {
  const std::vector<std::string> routes = {
      "GET /clients",
      "POST /clients",
      "GET /clients/{id}",
      "PUT /clients/{id}",
      "DELETE /clients/{id}",
      "GET /clients/{id}/jwks",
      "POST /clients/{id}/jwks",
      "PUT /clients/{id}/jwks",
      "POST /clients/{id}/secret",
      "GET /clients/{id}/onbehalfof",
      "POST /clients/{id}/onbehalfof",
      "GET /clients/{id}/onbehalfof/{v}",
      "POST /clients/{id}/onbehalfof/{v}",
      "PUT /clients/{id}/onbehalfof/{v}",
      "DELETE /clients/{id}/onbehalfof/{v}",
  };
  const std::set<std::string> read = {"GET /clients", "GET /clients/{id}", "GET /clients/{id}/jwks",
                                      "GET /clients/{id}/onbehalfof",
                                      "GET /clients/{id}/onbehalfof/{v}"};
  std::set<std::string> modify = read;
  modify.insert("PUT /clients/{id}");
  const std::set<std::string> all(routes.begin(), routes.end());
  const std::set<std::string> onbehalfof = {
      "GET /clients/{id}/onbehalfof",     "POST /clients/{id}/onbehalfof",
      "GET /clients/{id}/onbehalfof/{v}", "POST /clients/{id}/onbehalfof/{v}",
      "PUT /clients/{id}/onbehalfof/{v}", "DELETE /clients/{id}/onbehalfof/{v}"};
  const std::vector<std::pair<std::string, std::set<std::string>>> table = {
      {"idporten:dcr.read", read},
      {"idporten:dcr.modify", modify},
      {"idporten:dcr.write", all},
      {"idporten:dcr/onbehalfof:write", onbehalfof},
  };
  for (const auto& [scope, expected] : table) {
    SCOPED_TRACE(scope);
    const HttpResponse c = rig().api().Op("POST", "/v1/clients", Json(LoginClient(kOrgA, scope)));
    ASSERT_EQ(c.status, 201) << c.Describe();
    const std::string id = Id(c);
    const std::string token = rig().IdpToken(kClientA, scope);
    std::set<std::string> through;
    for (const auto& route : routes) {
      const std::string method = route.substr(0, route.find(' '));
      std::string path = route.substr(route.find(' ') + 1);
      path = std::regex_replace(path, std::regex("\\{id\\}"), id);
      path = std::regex_replace(path, std::regex("\\{v\\}"), "kunde1");
      std::optional<std::string> body;
      if (method == "POST" || method == "PUT") body = "{}";
      const HttpResponse r = Call(token, method, path, body);
      EXPECT_NE(r.status, 401) << route << ": " << r.Describe();
      if (r.status == 403 && Code(r) == "insufficient_scope") {
        EXPECT_NE(r.body.find("idporten:dcr"), std::string::npos) << route << ": " << r.body;
        continue;
      }
      through.insert(route);
    }
    EXPECT_EQ(through, expected);
  }
}

}  // namespace
}  // namespace onboard::testsupport
