// Clients over HTTP against the real onboard-api: create with defaults, validation answers,
// reads, lists with cursors and filters, full replace, merge patch, If-Match, history,
// deactivation and the absence of a hard delete.

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "client_fixtures.hpp"

namespace onboard::testsupport {
namespace {

class ClientsOverHttp : public ClientSuite<ClientsOverHttp> {
 protected:
  static HttpResponse Patch(const std::string& id, const std::string& body,
                            const Headers& headers) {
    return svc().http().Request("PATCH", "/v1/clients/" + id, headers, body,
                                "application/merge-patch+json");
  }
  static HttpResponse Put(const std::string& id, const std::string& body, const Headers& headers) {
    return svc().http().Request("PUT", "/v1/clients/" + id, headers, body);
  }
  static HttpResponse Get(const std::string& id) {
    return svc().http().Get("/v1/clients/" + id, svc().Operator());
  }
  static int VersionOf(const std::string& id) {
    const HttpResponse r = Get(id);
    return r.json ? r.json->optValue<int>("version", -1) : -1;
  }
  // Every client id of every page of `query`, following next_cursor.
  static std::vector<std::string> AllPages(const std::string& query, const Headers& headers,
                                           int* pages = nullptr) {
    std::vector<std::string> ids;
    std::string cursor;
    int n = 0;
    do {
      const std::string sep = query.find('?') == std::string::npos ? "?" : "&";
      const HttpResponse r =
          svc().http().Get(query + (cursor.empty() ? "" : sep + "cursor=" + cursor), headers);
      if (r.status != 200 || !r.json) {
        ADD_FAILURE() << query << ": " << r.Describe();
        break;
      }
      Poco::JSON::Array::Ptr items = r.json->getArray("items");
      for (std::size_t i = 0; items && i < items->size(); ++i) {
        ids.push_back(
            items->getObject(static_cast<unsigned>(i))->getValue<std::string>("client_id"));
      }
      cursor = r.json->isNull("next_cursor") ? "" : r.json->getValue<std::string>("next_cursor");
      ++n;
    } while (!cursor.empty() && n < 100);
    if (pages != nullptr) *pages = n;
    return ids;
  }
};

TEST_F(ClientsOverHttp, CreatesATestClientWithLocationEtagAndDefaults) {
  const std::string org = svc().NewOrganisation();
  const HttpResponse r = svc().CreateClient(LoginClient(org, "Min side"), svc().Operator());
  ASSERT_EQ(r.status, 201) << r.Describe();
  ASSERT_TRUE(r.json);
  const std::string id = r.json->getValue<std::string>("client_id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(r.Header("Location"), "/v1/clients/" + id);
  EXPECT_EQ(r.Header("ETag"), "\"1\"");
  EXPECT_EQ(r.json->getValue<std::string>("environment"), "test");
  EXPECT_EQ(r.json->getValue<std::string>("state"), "active");
  EXPECT_TRUE(r.json->getValue<bool>("active"));
  EXPECT_EQ(r.json->getValue<int>("version"), 1);
  EXPECT_EQ(r.json->getValue<std::string>("registration_channel"), "operator");
  EXPECT_EQ(r.json->getValue<std::string>("client_orgno"), org);
  EXPECT_EQ(r.json->getValue<std::string>("client_name"), "Min side");
  // Defaults the provider documents.
  EXPECT_EQ(r.json->getValue<int>("access_token_lifetime"), 120);
  EXPECT_EQ(r.json->getValue<int>("refresh_token_lifetime"), 600);
  EXPECT_EQ(r.json->getValue<int>("authorization_lifetime"), 7200);
  EXPECT_EQ(StringArray(r.json, "scopes"), (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(r.json->getValue<std::string>("application_type"), "web");
  EXPECT_EQ(r.json->getValue<std::string>("token_endpoint_auth_method"), "client_secret_basic");
  EXPECT_EQ(StringArray(r.json, "grant_types"), (std::vector<std::string>{"authorization_code"}));
  EXPECT_EQ(r.json->getValue<std::string>("refresh_token_usage"), "ONETIME");

  const HttpResponse read = svc().http().Get(r.Header("Location"), svc().Operator());
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(read.Header("ETag"), "\"1\"");
  EXPECT_EQ(read.body, r.body);
}

TEST_F(ClientsOverHttp, PortalCreatesThroughThePortalChannel) {
  const std::string org = svc().NewOrganisation();
  const HttpResponse r = svc().CreateClient(LoginClient(org), svc().Portal(org));
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("registration_channel"), "portal");
}

TEST_F(ClientsOverHttp, RefusesAProductionClientBecauseProductionNeedsAnOrder) {
  const std::string org = svc().NewOrganisation();
  const int64_t audit_before = svc().AuditCount();
  auto body = LoginClient(org);
  body->set("environment", "production");
  const HttpResponse r = svc().CreateClient(body, svc().Operator());
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_TRUE(HasFieldError(r, "environment", "production_requires_order")) << r.body;
  EXPECT_EQ(
      QueryInt(svc().db().url(), "SELECT count(*) FROM clients WHERE organisation = '" + org + "'"),
      0);
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(ClientsOverHttp, RefusesAClientForAnUnregisteredOrganisation) {
  const int64_t audit_before = svc().AuditCount();
  const std::string stranger = ValidOrgno(0, 97000000);  // valid number, never registered
  const HttpResponse r = svc().CreateClient(LoginClient(stranger), svc().Operator());
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_TRUE(HasFieldError(r, "client_orgno", "unknown_organisation")) << r.body;
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(ClientsOverHttp, AnswersUnknownFieldsWithAProblemNamingEachField) {
  const std::string org = svc().NewOrganisation();
  auto body = LoginClient(org);
  body->set("colour", "blue");
  body->set("access_token_lifetime", "long");
  const HttpResponse r = svc().CreateClient(body, svc().Operator());
  ASSERT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  ASSERT_TRUE(r.json);
  EXPECT_EQ(r.json->getValue<int>("status"), 400);
  EXPECT_EQ(r.json->getValue<std::string>("code"), "validation_failed");
  EXPECT_FALSE(r.json->optValue<std::string>("type", "").empty());
  EXPECT_EQ(r.json->getValue<std::string>("instance"), "/v1/clients");
  EXPECT_TRUE(HasFieldError(r, "colour", "unknown_field")) << r.body;
  EXPECT_TRUE(HasFieldError(r, "access_token_lifetime", "invalid_type")) << r.body;
}

// A representative handful of the validator's rules, each seen through HTTP.
TEST_F(ClientsOverHttp, ReportsProviderRulesPerFieldWithPathAndCode) {
  const std::string org = svc().NewOrganisation();
  const int64_t audit_before = svc().AuditCount();
  struct Case {
    const char* what;
    std::function<void(Poco::JSON::Object&)> change;
    std::string path;
    std::string code;
  };
  auto uris = [](std::initializer_list<const char*> list) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
    for (const char* u : list) a->add(std::string(u));
    return a;
  };
  auto machine = [&](Poco::JSON::Object& b) {
    b.set("integration_type", "maskinporten");
    b.remove("redirect_uris");
    b.remove("post_logout_redirect_uris");
    b.set("token_endpoint_auth_method", "private_key_jwt");
    b.set("scopes", uris({"digdir:dialogporten"}));
  };
  const std::vector<Case> cases = {
      {"https localhost in test",
       [&](auto& b) { b.set("redirect_uris", uris({"https://localhost/cb"})); }, "redirect_uris/0",
       "localhost_requires_http"},
      {"fragment",
       [&](auto& b) {
         b.set("redirect_uris", uris({"https://a.example/ok", "https://a.example/cb#x"}));
       },
       "redirect_uris/1", "uri_fragment_not_allowed"},
      {"wildcard",
       [&](auto& b) { b.set("post_logout_redirect_uris", uris({"https://*.example/out"})); },
       "post_logout_redirect_uris/0", "uri_wildcard_not_allowed"},
      {"access >= refresh", [](auto& b) { b.set("access_token_lifetime", 600); },
       "access_token_lifetime", "access_lifetime_not_below_refresh"},
      {"refresh > authorization", [](auto& b) { b.set("refresh_token_lifetime", 7201); },
       "refresh_token_lifetime", "refresh_lifetime_exceeds_authorization"},
      {"browser with a secret",
       [](auto& b) {
         b.set("application_type", "browser");
         b.set("token_endpoint_auth_method", "client_secret_basic");
       },
       "token_endpoint_auth_method", "auth_method_not_allowed"},
      {"web without authentication", [](auto& b) { b.set("token_endpoint_auth_method", "none"); },
       "token_endpoint_auth_method", "auth_method_not_allowed"},
      {"implicit grant", [&](auto& b) { b.set("grant_types", uris({"implicit"})); },
       "grant_types/0", "grant_type_forbidden"},
      {"login without openid", [&](auto& b) { b.set("scopes", uris({"profile"})); }, "scopes",
       "openid_scope_required"},
      {"maskinporten with a secret",
       [&](auto& b) {
         machine(b);
         b.set("token_endpoint_auth_method", "client_secret_basic");
       },
       "token_endpoint_auth_method", "auth_method_not_allowed"},
      {"maskinporten native",
       [&](auto& b) {
         machine(b);
         b.set("application_type", "native");
       },
       "application_type", "application_type_not_allowed"},
      {"maskinporten authorization code",
       [&](auto& b) {
         machine(b);
         b.set("grant_types", uris({"authorization_code"}));
       },
       "grant_types", "jwt_bearer_required"},
      {"maskinporten with redirect URIs",
       [&](auto& b) {
         machine(b);
         b.set("redirect_uris", uris({"https://a.example/cb"}));
       },
       "redirect_uris", "not_allowed_for_integration_type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto body = LoginClient(org, c.what);
    c.change(*body);
    const HttpResponse r = svc().CreateClient(body, svc().Operator());
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_TRUE(HasFieldError(r, c.path, c.code))
        << "expected " << c.path << " " << c.code << " in " << r.body;
  }
  // Every problem is reported, not only the first.
  auto both = LoginClient(org);
  both->set("redirect_uris", uris({"https://a.example/cb#x"}));
  both->set("access_token_lifetime", 601);
  const HttpResponse r = svc().CreateClient(both, svc().Operator());
  EXPECT_TRUE(HasFieldError(r, "redirect_uris/0", "uri_fragment_not_allowed")) << r.body;
  EXPECT_TRUE(HasFieldError(r, "access_token_lifetime", "access_lifetime_not_below_refresh"))
      << r.body;
  EXPECT_EQ(
      QueryInt(svc().db().url(), "SELECT count(*) FROM clients WHERE organisation = '" + org + "'"),
      0);
  EXPECT_EQ(svc().AuditCount(), audit_before);

  // The same shapes pass when they follow the rules.
  auto plain_http = LoginClient(org, "local dev");
  plain_http->set("redirect_uris", uris({"http://localhost:8080/cb"}));
  EXPECT_EQ(svc().CreateClient(plain_http, svc().Operator()).status, 201);
  auto maskinporten = LoginClient(org, "machine");
  machine(*maskinporten);
  const HttpResponse m = svc().CreateClient(maskinporten, svc().Operator());
  ASSERT_EQ(m.status, 201) << m.Describe();
  EXPECT_EQ(StringArray(m.json, "grant_types"),
            (std::vector<std::string>{"urn:ietf:params:oauth:grant-type:jwt-bearer"}));
}

TEST_F(ClientsOverHttp, AnswersNotFoundForAnUnknownOrMalformedClientId) {
  for (const std::string id : {"00000000-0000-4000-8000-000000000000", "not-a-uuid", "%27%3B--"}) {
    SCOPED_TRACE(id);
    const HttpResponse r = svc().http().Get("/v1/clients/" + id, svc().Operator());
    EXPECT_EQ(r.status, 404) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
  }
}

TEST_F(ClientsOverHttp, ListsEveryClientOnceAcrossCursorPages) {
  const std::string org = svc().NewOrganisation();
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i)
    created.insert(
        svc().CreateClientAs(org, "Side " + std::to_string(i))->getValue<std::string>("client_id"));
  int pages = 0;
  const auto ids =
      AllPages("/v1/clients?organisation=" + org + "&limit=3", svc().Operator(), &pages);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), created);
  // A page that ends exactly at the last client has no next cursor.
  int exact_pages = 0;
  EXPECT_EQ(AllPages("/v1/clients?organisation=" + org + "&limit=7", svc().Operator(), &exact_pages)
                .size(),
            7u);
  EXPECT_EQ(exact_pages, 1);
  // Paging parameters are checked.
  EXPECT_EQ(svc().http().Get("/v1/clients?limit=0", svc().Operator()).status, 400);
  EXPECT_EQ(svc().http().Get("/v1/clients?limit=abc", svc().Operator()).status, 400);
  EXPECT_EQ(svc().http().Get("/v1/clients?cursor=not*valid", svc().Operator()).status, 400);
}

TEST_F(ClientsOverHttp, FiltersTheListByEachCriterion) {
  const std::string org = svc().NewOrganisation();
  const std::string other = svc().NewOrganisation();
  const std::string skatt =
      svc().CreateClientAs(org, "Skattemelding Portal")->getValue<std::string>("client_id");
  const std::string kalk =
      svc().CreateClientAs(org, "skattekalkulator")->getValue<std::string>("client_id");
  const std::string helse = svc().CreateClientAs(org, "Helse")->getValue<std::string>("client_id");
  const std::string foreign =
      svc().CreateClientAs(other, "Skatt hos andre")->getValue<std::string>("client_id");
  auto machine_body = LoginClient(org, "Maskin");
  machine_body->set("integration_type", "maskinporten");
  machine_body->remove("redirect_uris");
  machine_body->remove("post_logout_redirect_uris");
  machine_body->set("token_endpoint_auth_method", "private_key_jwt");
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array();
  scopes->add(std::string("digdir:dialogporten"));
  machine_body->set("scopes", scopes);
  const HttpResponse m = svc().CreateClient(machine_body, svc().Operator());
  ASSERT_EQ(m.status, 201) << m.Describe();
  const std::string maskin = m.json->getValue<std::string>("client_id");
  ASSERT_EQ(
      svc().http().Post("/v1/clients/" + helse + "/deactivate", "{}", svc().Operator()).status,
      200);
  // Production clients come from production orders (another slice); mark one as such.
  ExecSql(svc().db().url(),
          "UPDATE clients SET environment = 'production' WHERE client_id = '" + kalk + "'");

  using Ids = std::set<std::string>;
  auto list = [&](const std::string& query) {
    const auto ids = AllPages("/v1/clients?" + query, svc().Operator());
    return Ids(ids.begin(), ids.end());
  };
  EXPECT_EQ(list("organisation=" + org), (Ids{skatt, kalk, helse, maskin}));
  EXPECT_EQ(list("organisation=" + other), (Ids{foreign}));
  EXPECT_EQ(list("organisation=" + org + "&environment=production"), (Ids{kalk}));
  EXPECT_EQ(list("organisation=" + org + "&environment=test"), (Ids{skatt, helse, maskin}));
  EXPECT_EQ(list("organisation=" + org + "&integration_type=maskinporten"), (Ids{maskin}));
  EXPECT_EQ(list("organisation=" + org + "&integration_type=idporten"), (Ids{skatt, kalk, helse}));
  EXPECT_EQ(list("organisation=" + org + "&state=deactivated"), (Ids{helse}));
  EXPECT_EQ(list("organisation=" + org + "&state=active"), (Ids{skatt, kalk, maskin}));
  // Free text: a case-insensitive substring of client_name.
  EXPECT_EQ(list("organisation=" + org + "&q=SKATT"), (Ids{skatt, kalk}));
  EXPECT_EQ(list("organisation=" + org + "&q=portal"), (Ids{skatt}));
  EXPECT_EQ(list("q=skatt"), (Ids{skatt, kalk, foreign}));
  // LIKE wildcards in q are plain characters.
  EXPECT_EQ(list("organisation=" + org + "&q=%25"), Ids{});
  EXPECT_EQ(list("organisation=" + org + "&q=_"), Ids{});
  // Filters combine.
  EXPECT_EQ(list("q=skatt&environment=test"), (Ids{skatt, foreign}));
  // Unknown filter values are refused, naming the parameter.
  for (const std::string bad :
       {"environment=staging", "integration_type=saml", "state=deleted", "organisation=123"}) {
    SCOPED_TRACE(bad);
    const HttpResponse r = svc().http().Get("/v1/clients?" + bad, svc().Operator());
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(FieldErrors(r).size(), 1u) << r.body;
  }
}

TEST_F(ClientsOverHttp, PutReplacesTheWholeClient) {
  const std::string org = svc().NewOrganisation();
  auto body = LoginClient(org, "Før");
  body->set("description", "skal bort");
  body->set("access_token_lifetime", 60);
  const HttpResponse created = svc().CreateClient(body, svc().Operator());
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("client_id");
  EXPECT_EQ(created.json->getValue<std::string>("description"), "skal bort");

  auto replacement = LoginClient(org, "Etter");
  replacement->remove("environment");
  const HttpResponse r = Put(id, Json(replacement), svc().Operator({{"If-Match", "\"1\""}}));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"2\"");
  EXPECT_EQ(r.json->getValue<int>("version"), 2);
  EXPECT_EQ(r.json->getValue<std::string>("client_name"), "Etter");
  EXPECT_FALSE(r.json->has("description")) << "a member left out of a PUT is removed";
  EXPECT_EQ(r.json->getValue<int>("access_token_lifetime"), 120)
      << "and a defaulted one is back at its default";
  EXPECT_EQ(Get(id).body, r.body);
}

TEST_F(ClientsOverHttp, PutAcceptsTheReadOnlyMembersOfAGetEchoedBack) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org, "Ekko")->getValue<std::string>("client_id");
  const HttpResponse read = Get(id);
  ASSERT_EQ(read.status, 200);
  Poco::JSON::Object::Ptr echoed = ParseObject(read.body);
  echoed->set("client_name", "Ekko 2");
  const HttpResponse r = Put(id, Json(echoed), svc().Operator({{"If-Match", read.Header("ETag")}}));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("client_name"), "Ekko 2");
  EXPECT_EQ(r.json->getValue<int>("version"), 2);
  EXPECT_EQ(r.json->getValue<std::string>("created_at"),
            read.json->getValue<std::string>("created_at"));
}

TEST_F(ClientsOverHttp, PutRefusesToChangeIntegrationTypeOrganisationOrEnvironment) {
  const std::string org = svc().NewOrganisation();
  const std::string other = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org)->getValue<std::string>("client_id");
  const int64_t audit_before = svc().AuditCount();
  struct Case {
    std::string member;
    std::string value;
  };
  for (const Case& c : std::vector<Case>{{"integration_type", "ansattporten"},
                                         {"client_orgno", other},
                                         {"environment", "production"},
                                         {"client_id", "00000000-0000-4000-8000-000000000000"}}) {
    SCOPED_TRACE(c.member);
    auto body = LoginClient(org);
    body->set(c.member, c.value);
    const HttpResponse r = Put(id, Json(body), svc().Operator());
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_TRUE(HasFieldError(r, c.member, "immutable")) << r.body;
  }
  EXPECT_EQ(VersionOf(id), 1);
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(ClientsOverHttp, PatchMergesAndNullRestoresTheDefault) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org, "Flett")->getValue<std::string>("client_id");
  HttpResponse r =
      Patch(id, R"({"description":"ny","access_token_lifetime":60,"scopes":["openid"]})",
            svc().Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"2\"");
  EXPECT_EQ(r.json->getValue<std::string>("description"), "ny");
  EXPECT_EQ(r.json->getValue<int>("access_token_lifetime"), 60);
  EXPECT_EQ(StringArray(r.json, "scopes"), (std::vector<std::string>{"openid"}));
  EXPECT_EQ(r.json->getValue<std::string>("client_name"), "Flett")
      << "members not in the patch stay";
  EXPECT_EQ(StringArray(r.json, "redirect_uris"),
            (std::vector<std::string>{"https://tjeneste.example/callback"}));

  r = Patch(id, R"({"description":null,"access_token_lifetime":null,"scopes":null})",
            svc().Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_FALSE(r.json->has("description"));
  EXPECT_EQ(r.json->getValue<int>("access_token_lifetime"), 120);
  EXPECT_EQ(StringArray(r.json, "scopes"), (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(r.json->getValue<int>("version"), 3);

  // A patch is validated like a full document.
  r = Patch(id, R"({"redirect_uris":["https://a.example/#frag"]})", svc().Operator());
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_TRUE(HasFieldError(r, "redirect_uris/0", "uri_fragment_not_allowed")) << r.body;
  r = Patch(id, R"({"integration_type":"maskinporten"})", svc().Operator());
  EXPECT_TRUE(HasFieldError(r, "integration_type", "immutable")) << r.body;
  // Not a merge patch document.
  EXPECT_EQ(svc()
                .http()
                .Request("PATCH", "/v1/clients/" + id, svc().Operator(), "{}", "text/plain")
                .status,
            415);
  EXPECT_EQ(VersionOf(id), 3);
}

TEST_F(ClientsOverHttp, RefusesAStaleIfMatchWith412AndChangesNothing) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org)->getValue<std::string>("client_id");
  ASSERT_EQ(Patch(id, R"({"client_name":"v2"})", svc().Operator({{"If-Match", "\"1\""}})).status,
            200);
  const int64_t audit_before = svc().AuditCount();

  HttpResponse r =
      Patch(id, R"({"client_name":"lost update"})", svc().Operator({{"If-Match", "\"1\""}}));
  EXPECT_EQ(r.status, 412) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  r = Put(id, Json(LoginClient(org, "lost update")), svc().Operator({{"If-Match", "\"1\""}}));
  EXPECT_EQ(r.status, 412) << r.Describe();
  r = Patch(id, R"({"client_name":"lost update"})",
            svc().Portal(org, "kari", {{"If-Match", "W/\"1\""}}));
  EXPECT_EQ(r.status, 412) << r.Describe();
  r = svc().http().Post("/v1/clients/" + id + "/deactivate", "{}",
                        svc().Operator({{"If-Match", "\"1\""}}));
  EXPECT_EQ(r.status, 412) << "a state change must honour If-Match too: " << r.Describe();

  const HttpResponse now = Get(id);
  EXPECT_EQ(now.json->getValue<std::string>("client_name"), "v2");
  EXPECT_EQ(now.json->getValue<std::string>("state"), "active");
  EXPECT_EQ(now.json->getValue<int>("version"), 2);
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(ClientsOverHttp, PortalMustSendIfMatchWhileOperatorMayNot) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org)->getValue<std::string>("client_id");
  const int64_t audit_before = svc().AuditCount();
  HttpResponse r = Patch(id, R"({"client_name":"portal"})", svc().Portal(org));
  EXPECT_EQ(r.status, 428) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  r = Put(id, Json(LoginClient(org, "portal")), svc().Portal(org));
  EXPECT_EQ(r.status, 428) << r.Describe();
  EXPECT_EQ(svc().AuditCount(), audit_before);
  EXPECT_EQ(VersionOf(id), 1);

  r = Patch(id, R"({"client_name":"portal"})", svc().Portal(org, "kari", {{"If-Match", "\"1\""}}));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"2\"");
  r = Patch(id, R"({"client_name":"operator"})", svc().Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("client_name"), "operator");
  EXPECT_EQ(r.json->getValue<int>("version"), 3);
}

TEST_F(ClientsOverHttp, HistoryListsEveryVersionWithWhoDidItAndAFieldDiff) {
  const std::string org = svc().NewOrganisation();
  const HttpResponse created = svc().CreateClient(
      LoginClient(org, "Historikk"), svc().Operator({{"X-Request-Id", "req-history-create"}}));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("client_id");
  ASSERT_EQ(Patch(id, R"({"client_name":"Historikk 2"})",
                  svc().Portal(org, "ola.nordmann",
                               {{"If-Match", "\"1\""}, {"X-Request-Id", "req-history-patch"}}))
                .status,
            200);
  ASSERT_EQ(svc().http().Post("/v1/clients/" + id + "/deactivate", "{}", svc().Operator()).status,
            200);
  ASSERT_EQ(svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Operator()).status,
            200);

  const HttpResponse h = svc().http().Get("/v1/clients/" + id + "/history", svc().Operator());
  ASSERT_EQ(h.status, 200) << h.Describe();
  EXPECT_EQ(h.json->getValue<std::string>("client_id"), id);
  Poco::JSON::Array::Ptr items = h.json->getArray("items");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 4u) << h.body;
  const std::vector<std::string> changes = {"create", "update", "deactivate", "reactivate"};
  const std::vector<std::string> states = {"active", "active", "deactivated", "active"};
  for (unsigned i = 0; i < 4; ++i) {
    SCOPED_TRACE(changes[i]);
    Poco::JSON::Object::Ptr e = items->getObject(i);
    EXPECT_EQ(e->getValue<int>("version"), static_cast<int>(i) + 1);
    EXPECT_EQ(e->getValue<std::string>("change"), changes[i]);
    EXPECT_EQ(e->getValue<std::string>("state"), states[i]);
    EXPECT_FALSE(e->optValue<std::string>("changed_at", "").empty());
    EXPECT_FALSE(e->optValue<std::string>("request_id", "").empty());
  }
  Poco::JSON::Object::Ptr create = items->getObject(0);
  EXPECT_EQ(create->getValue<std::string>("actor"), svc().operator_token().name);
  EXPECT_EQ(create->getValue<std::string>("role"), "operator");
  EXPECT_EQ(create->getValue<std::string>("request_id"), "req-history-create");
  EXPECT_FALSE(create->has("portal_user"));
  // The creation's diff names every member it set, from null.
  bool saw_name = false;
  Poco::JSON::Array::Ptr create_diff = create->getArray("diff");
  ASSERT_TRUE(create_diff);
  for (std::size_t i = 0; i < create_diff->size(); ++i) {
    auto d = create_diff->getObject(static_cast<unsigned>(i));
    EXPECT_TRUE(d->isNull("from")) << Json(d);
    if (d->getValue<std::string>("field") == "client_name") {
      saw_name = true;
      EXPECT_EQ(d->getValue<std::string>("to"), "Historikk");
    }
  }
  EXPECT_TRUE(saw_name);

  Poco::JSON::Object::Ptr update = items->getObject(1);
  EXPECT_EQ(update->getValue<std::string>("actor"), svc().portal_token().name);
  EXPECT_EQ(update->getValue<std::string>("role"), "portal");
  EXPECT_EQ(update->getValue<std::string>("portal_user"), "ola.nordmann");
  EXPECT_EQ(update->getValue<std::string>("request_id"), "req-history-patch");
  Poco::JSON::Array::Ptr diff = update->getArray("diff");
  ASSERT_TRUE(diff);
  ASSERT_EQ(diff->size(), 1u) << Json(update);
  Poco::JSON::Object::Ptr d = diff->getObject(0);
  EXPECT_EQ(d->getValue<std::string>("field"), "client_name");
  EXPECT_EQ(d->getValue<std::string>("from"), "Historikk");
  EXPECT_EQ(d->getValue<std::string>("to"), "Historikk 2");

  EXPECT_EQ(svc()
                .http()
                .Get("/v1/clients/00000000-0000-4000-8000-000000000000/history", svc().Operator())
                .status,
            404);
}

TEST_F(ClientsOverHttp, DeactivatesReactivatesAndNamesTheAllowedTransitionOnConflict) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org)->getValue<std::string>("client_id");
  HttpResponse r = svc().http().Post("/v1/clients/" + id + "/deactivate", "{}", svc().Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("state"), "deactivated");
  EXPECT_FALSE(r.json->getValue<bool>("active"));
  EXPECT_EQ(r.Header("ETag"), "\"2\"");
  EXPECT_EQ(Get(id).json->getValue<std::string>("state"), "deactivated");

  const int64_t audit_before = svc().AuditCount();
  r = svc().http().Post("/v1/clients/" + id + "/deactivate", "{}", svc().Operator());
  EXPECT_EQ(r.status, 409) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.json->getValue<std::string>("code"), "illegal_transition");
  EXPECT_NE(r.json->getValue<std::string>("detail").find("reactivate"), std::string::npos)
      << r.body;
  EXPECT_EQ(svc().AuditCount(), audit_before);

  r = svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("state"), "active");
  EXPECT_TRUE(r.json->getValue<bool>("active"));
  r = svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Operator());
  EXPECT_EQ(r.status, 409) << r.Describe();
  EXPECT_NE(r.json->getValue<std::string>("detail").find("deactivate"), std::string::npos)
      << r.body;
  EXPECT_EQ(VersionOf(id), 3);
}

TEST_F(ClientsOverHttp, HasNoHardDelete) {
  const std::string org = svc().NewOrganisation();
  const std::string id = svc().CreateClientAs(org)->getValue<std::string>("client_id");
  const HttpResponse r = svc().http().Delete("/v1/clients/" + id, svc().Operator());
  EXPECT_EQ(r.status, 405) << r.Describe();
  const std::string allow = r.Header("Allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("PATCH"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("DELETE"), std::string::npos) << allow;
  EXPECT_EQ(Get(id).status, 200);
  EXPECT_EQ(svc().http().Delete("/v1/clients", svc().Operator()).status, 405);
}

// Every change writes exactly one audit event with the right action, failures write none,
// and the chain stays valid (checked in-process and by `onboard-api audit verify`).
TEST_F(ClientsOverHttp, AuditsEachChangeOnceAndNothingForFailures) {
  const std::string org = svc().NewOrganisation();
  const int64_t start = svc().AuditCount();
  const HttpResponse created = svc().CreateClient(LoginClient(org, "Revisjon"), svc().Operator());
  ASSERT_EQ(created.status, 201);
  const std::string id = created.json->getValue<std::string>("client_id");
  EXPECT_EQ(svc().AuditCount(), start + 1);
  ASSERT_EQ(Put(id, Json(LoginClient(org, "Revisjon 2")), svc().Operator()).status, 200);
  EXPECT_EQ(svc().AuditCount(), start + 2);
  ASSERT_EQ(Patch(id, R"({"description":"x"})", svc().Portal(org, "kari", {{"If-Match", "\"2\""}}))
                .status,
            200);
  EXPECT_EQ(svc().AuditCount(), start + 3);
  ASSERT_EQ(svc().http().Post("/v1/clients/" + id + "/deactivate", "{}", svc().Operator()).status,
            200);
  EXPECT_EQ(svc().AuditCount(), start + 4);
  ASSERT_EQ(svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Portal(org)).status,
            200);
  EXPECT_EQ(svc().AuditCount(), start + 5);

  // Failures: validation, immutable member, stale version, missing If-Match, illegal
  // transition, wrong method, unknown client, reads.
  auto bad = LoginClient(org);
  bad->set("redirect_uris", Poco::JSON::Array::Ptr(new Poco::JSON::Array()));
  EXPECT_EQ(svc().CreateClient(bad, svc().Operator()).status, 400);
  auto moved = LoginClient(org);
  moved->set("integration_type", "krr");
  EXPECT_EQ(Put(id, Json(moved), svc().Operator()).status, 400);
  EXPECT_EQ(Patch(id, R"({"client_name":"x"})", svc().Operator({{"If-Match", "\"1\""}})).status,
            412);
  EXPECT_EQ(Patch(id, R"({"client_name":"x"})", svc().Portal(org)).status, 428);
  EXPECT_EQ(svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Operator()).status,
            409);
  EXPECT_EQ(svc().http().Delete("/v1/clients/" + id, svc().Operator()).status, 405);
  EXPECT_EQ(Patch("00000000-0000-4000-8000-000000000000", "{}", svc().Operator()).status, 404);
  EXPECT_EQ(svc().http().Get("/v1/clients/" + id + "/history", svc().Operator()).status, 200);
  EXPECT_EQ(svc().AuditCount(), start + 5);

  EXPECT_EQ(svc().AuditActions(id),
            (std::vector<std::string>{"client.create", "client.update", "client.update",
                                      "client.deactivate", "client.reactivate"}));
  // Who did it and for which organisation.
  const std::string who =
      QueryScalar(svc().db().url(),
                  "SELECT actor || '|' || role || '|' || coalesce(portal_user, '') || '|' || "
                  "organisation || '|' || target_type FROM audit_events WHERE target_id = '" +
                      id + "' AND action = 'client.update' ORDER BY seq DESC LIMIT 1")
          .value_or("");
  EXPECT_EQ(who, svc().portal_token().name + "|portal|kari|" + org + "|client");

  const db::ChainVerification chain = svc().db().VerifyAudit();
  EXPECT_TRUE(chain.intact) << chain.reason;
  const CliResult verify =
      RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", svc().db().url()}});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("\"intact\":true"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace onboard::testsupport
