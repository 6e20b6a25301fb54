// RFC 7591 dynamic client registration and RFC 7592 client configuration against the real
// onboard-api: initial access tokens, the client information response, secrets (issued once,
// never stored or logged in clear text), the registration access token and its scope.

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "client_fixtures.hpp"

namespace onboard::testsupport {
namespace {

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An RFC 7591 registration request as a generic OIDC client sends it.
Poco::JSON::Object::Ptr Rfc7591Request(const std::string& name = "Dynamisk tjeneste") {
  return ParseObject(R"({
    "client_name": ")" +
                     name + R"(",
    "redirect_uris": ["https://rp.example/callback"],
    "post_logout_redirect_uris": ["https://rp.example/logged-out"],
    "response_types": ["code"],
    "grant_types": ["authorization_code"],
    "scope": "openid profile",
    "token_endpoint_auth_method": "client_secret_basic",
    "tos_uri": "https://rp.example/tos",
    "id_token_signed_response_alg": "RS256"
  })");
}

class Registration : public ClientSuite<Registration> {
 protected:
  void SetUp() override {
    ClientSuite::SetUp();
    if (HasFatalFailure()) return;
    org_ = svc().NewOrganisation();
    bound_ = svc().BoundPortalToken(org_, "rp-" + org_);
  }

  HttpResponse Register(const Poco::JSON::Object::Ptr& request, const Headers& headers) {
    return svc().http().Post("/register", Json(request), headers);
  }
  HttpResponse Register(const Poco::JSON::Object::Ptr& request) {
    return Register(request, Bearer(bound_));
  }

  // Registers `request` with the bound portal token; asserts 201.
  Poco::JSON::Object::Ptr Registered(const Poco::JSON::Object::Ptr& request) {
    const HttpResponse r = Register(request);
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (r.status != 201 || !r.json) throw std::runtime_error("registration failed");
    return r.json;
  }

  // PATCH /v1/clients/{id} as the operator with the merge patch `patch`; its status.
  int OperatorPatch(const std::string& client_id, const std::string& patch) {
    return svc()
        .http()
        .Request("PATCH", "/v1/clients/" + client_id, svc().Operator(), patch,
                 "application/merge-patch+json")
        .status;
  }
  // How many of the client's secrets are active.
  int64_t ActiveSecrets(const std::string& client_id) {
    return QueryInt(svc().db().url(),
                    "SELECT count(*) FROM client_secrets WHERE state = 'active' AND client_id = '" +
                        client_id + "'");
  }

  // Path of a registration_client_uri (the service answers with an absolute URI).
  static std::string PathOf(const std::string& uri) {
    const auto scheme = uri.find("://");
    const auto slash = uri.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? uri : uri.substr(slash);
  }

  static void ExpectInvalidToken(const HttpResponse& r) {
    EXPECT_EQ(r.status, 401) << r.Describe();
    ASSERT_TRUE(r.json) << r.Describe();
    EXPECT_EQ(r.json->optValue<std::string>("error", ""), "invalid_token") << r.body;
    EXPECT_NE(r.Header("WWW-Authenticate").find("Bearer"), std::string::npos);
  }

  static void ExpectRegistrationError(const HttpResponse& r, const std::string& error) {
    EXPECT_EQ(r.status, 400) << r.Describe();
    ASSERT_TRUE(r.json) << r.Describe();
    EXPECT_EQ(r.json->optValue<std::string>("error", ""), error) << r.body;
    EXPECT_TRUE(r.json->has("error_description")) << r.body;
    EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u) << r.content_type;
  }

  std::string org_;
  std::string bound_;
};

TEST_F(Registration, PortalTokenBoundToAnOrganisationRegistersWithoutExtraHeaders) {
  const int64_t before = Now();
  const HttpResponse r = Register(Rfc7591Request());
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  const auto& j = r.json;
  const std::string id = j->getValue<std::string>("client_id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_GE(j->getValue<int64_t>("client_id_issued_at"), before - 5);
  EXPECT_LE(j->getValue<int64_t>("client_id_issued_at"), Now() + 5);
  EXPECT_GE(j->getValue<std::string>("client_secret").size(), 32u);
  const int64_t expires = j->getValue<int64_t>("client_secret_expires_at");
  EXPECT_GT(expires, Now() + 300LL * 86400) << "a secret lives up to 360 days";
  EXPECT_LE(expires, Now() + 360LL * 86400 + 60) << "and never longer";
  EXPECT_FALSE(j->getValue<std::string>("registration_access_token").empty());
  const std::string uri = j->getValue<std::string>("registration_client_uri");
  EXPECT_EQ(uri.rfind("http", 0), 0u) << uri;
  EXPECT_EQ(PathOf(uri), "/register/" + id);
  EXPECT_EQ(r.Header("Location"), uri);
  // Metadata echoed in the RFC 7591 shape.
  EXPECT_EQ(j->getValue<std::string>("scope"), "openid profile");
  EXPECT_FALSE(j->has("scopes"));
  EXPECT_EQ(StringArray(j, "response_types"), (std::vector<std::string>{"code"}));
  EXPECT_EQ(StringArray(j, "redirect_uris"),
            (std::vector<std::string>{"https://rp.example/callback"}));
  EXPECT_EQ(j->getValue<std::string>("token_endpoint_auth_method"), "client_secret_basic");
  EXPECT_EQ(j->getValue<std::string>("client_orgno"), org_);

  // The same client in the provider's own model.
  const HttpResponse own = svc().http().Get("/v1/clients/" + id, svc().Operator());
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.json->getValue<std::string>("registration_channel"), "registration_api");
  EXPECT_EQ(own.json->getValue<std::string>("integration_type"), "idporten");
  EXPECT_EQ(own.json->getValue<std::string>("environment"), "test");
  EXPECT_EQ(StringArray(own.json, "scopes"), (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(own.json->getValue<int>("access_token_lifetime"), 120);
  EXPECT_EQ(svc().AuditActions(id), (std::vector<std::string>{"client.create"}));
}

TEST_F(Registration, UnboundPortalTokenRegistersForTheOrganisationInItsHeaders) {
  const HttpResponse r = Register(Rfc7591Request(), svc().Portal(org_));
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("client_orgno"), org_);
  auto other = Rfc7591Request();
  other->set("client_orgno", svc().NewOrganisation());
  const HttpResponse refused = Register(other, svc().Portal(org_));
  ExpectRegistrationError(refused, "invalid_client_metadata");
  const HttpResponse bound_refused = Register(other);
  ExpectRegistrationError(bound_refused, "invalid_client_metadata");
}

TEST_F(Registration, OperatorTokenMustNameTheOrganisation) {
  const int64_t audit_before = svc().AuditCount();
  const HttpResponse missing = Register(Rfc7591Request(), svc().Operator());
  ExpectRegistrationError(missing, "invalid_client_metadata");
  EXPECT_NE(missing.json->getValue<std::string>("error_description").find("client_orgno"),
            std::string::npos)
      << missing.body;
  auto unknown = Rfc7591Request();
  unknown->set("client_orgno", ValidOrgno(3, 97000000));
  ExpectRegistrationError(Register(unknown, svc().Operator()), "invalid_client_metadata");
  EXPECT_EQ(svc().AuditCount(), audit_before);

  auto named = Rfc7591Request();
  named->set("client_orgno", org_);
  const HttpResponse r = Register(named, svc().Operator());
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("client_orgno"), org_);
  EXPECT_TRUE(r.json->has("client_secret"));
}

TEST_F(Registration, IssuesASecretOnlyToClientsThatAuthenticateWithOne) {
  auto post = Rfc7591Request();
  post->set("token_endpoint_auth_method", "client_secret_post");
  const auto with_post = Registered(post);
  EXPECT_TRUE(with_post->has("client_secret"));
  EXPECT_TRUE(with_post->has("client_secret_expires_at"));

  auto jwt = Rfc7591Request();
  jwt->set("token_endpoint_auth_method", "private_key_jwt");
  const auto with_jwt = Registered(jwt);
  EXPECT_FALSE(with_jwt->has("client_secret")) << Json(with_jwt);
  EXPECT_FALSE(with_jwt->has("client_secret_expires_at")) << Json(with_jwt);
  EXPECT_TRUE(with_jwt->has("registration_access_token"));

  auto spa = Rfc7591Request();
  spa->set("application_type", "browser");
  spa->set("token_endpoint_auth_method", "none");
  const auto public_client = Registered(spa);
  EXPECT_FALSE(public_client->has("client_secret")) << Json(public_client);
  EXPECT_FALSE(public_client->has("client_secret_expires_at")) << Json(public_client);

  EXPECT_EQ(QueryInt(svc().db().url(), "SELECT count(*) FROM client_secrets WHERE client_id = '" +
                                           with_post->getValue<std::string>("client_id") + "'"),
            1);
  EXPECT_EQ(
      QueryInt(svc().db().url(), "SELECT count(*) FROM client_secrets WHERE client_id IN ('" +
                                     with_jwt->getValue<std::string>("client_id") + "', '" +
                                     public_client->getValue<std::string>("client_id") + "')"),
      0);
}

TEST_F(Registration, TranslatesTheScopeStringToScopesAndBack) {
  auto request = Rfc7591Request();
  request->set("scope", "openid  krr:global/kontaktinformasjon.read");
  const auto created = Registered(request);
  const std::string id = created->getValue<std::string>("client_id");
  const HttpResponse own = svc().http().Get("/v1/clients/" + id, svc().Operator());
  EXPECT_EQ(StringArray(own.json, "scopes"),
            (std::vector<std::string>{"openid", "krr:global/kontaktinformasjon.read"}));
  EXPECT_EQ(created->getValue<std::string>("scope"), "openid krr:global/kontaktinformasjon.read");

  // A scope change through the provider's API shows in the RFC 7592 read.
  ASSERT_EQ(OperatorPatch(id, R"({"scopes":["openid"]})"), 200);
  const HttpResponse read =
      svc().http().Get(PathOf(created->getValue<std::string>("registration_client_uri")),
                       Bearer(created->getValue<std::string>("registration_access_token")));
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(read.json->getValue<std::string>("scope"), "openid");

  // No scope: the idporten defaults.
  auto none = Rfc7591Request();
  none->remove("scope");
  EXPECT_EQ(Registered(none)->getValue<std::string>("scope"), "openid profile");
}

TEST_F(Registration, RefusesResponseTypesOtherThanCode) {
  const int64_t audit_before = svc().AuditCount();
  for (const char* types :
       {R"(["code","id_token"])", R"(["token"])", R"(["code id_token"])", R"("code")"}) {
    SCOPED_TRACE(types);
    auto request = Rfc7591Request();
    request->set("response_types", ParseObject(std::string(R"({"v":)") + types + "}")->get("v"));
    ExpectRegistrationError(Register(request), "invalid_client_metadata");
  }
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(Registration, AnswersEachProblemWithItsRfc7591ErrorCode) {
  const int64_t audit_before = svc().AuditCount();
  auto statement = Rfc7591Request();
  statement->set("software_statement", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln");
  ExpectRegistrationError(Register(statement), "invalid_software_statement");

  for (const char* uri : {"https://rp.example/cb#fragment", "https://*.rp.example/cb",
                          "https://localhost/cb", "javascript:alert(1)", "/relative"}) {
    SCOPED_TRACE(uri);
    auto redirect = Rfc7591Request();
    Poco::JSON::Array::Ptr uris = new Poco::JSON::Array();
    uris->add(std::string(uri));
    redirect->set("redirect_uris", uris);
    ExpectRegistrationError(Register(redirect), "invalid_redirect_uri");
  }
  auto lifetimes = Rfc7591Request();
  lifetimes->set("access_token_lifetime", 7200);
  ExpectRegistrationError(Register(lifetimes), "invalid_client_metadata");
  auto method = Rfc7591Request();
  method->set("token_endpoint_auth_method", "client_secret_jwt");
  ExpectRegistrationError(Register(method), "invalid_client_metadata");
  auto unknown = Rfc7591Request();
  unknown->set("favourite_colour", "blue");
  ExpectRegistrationError(Register(unknown), "invalid_client_metadata");
  ExpectRegistrationError(svc().http().Post("/register", "{not json", Bearer(bound_)),
                          "invalid_client_metadata");
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(Registration, RequiresAnInitialAccessToken) {
  EXPECT_EQ(svc().http().Post("/register", Json(Rfc7591Request())).status, 401);
  EXPECT_EQ(
      svc().http().Post("/register", Json(Rfc7591Request()), Bearer("onb_not-a-real-token")).status,
      401);
}

TEST_F(Registration, ReadsAndUpdatesWithTheRegistrationAccessToken) {
  const auto created = Registered(Rfc7591Request("Før oppdatering"));
  const std::string id = created->getValue<std::string>("client_id");
  const std::string path = PathOf(created->getValue<std::string>("registration_client_uri"));
  const Headers rat = Bearer(created->getValue<std::string>("registration_access_token"));

  const HttpResponse read = svc().http().Get(path, rat);
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(read.json->getValue<std::string>("client_id"), id);
  EXPECT_EQ(read.json->getValue<std::string>("client_name"), "Før oppdatering");
  EXPECT_EQ(read.json->getValue<std::string>("registration_client_uri"),
            created->getValue<std::string>("registration_client_uri"));
  EXPECT_FALSE(read.json->has("client_secret")) << "the secret is shown once, at registration";
  EXPECT_EQ(read.body.find(created->getValue<std::string>("client_secret")), std::string::npos);
  EXPECT_FALSE(read.json->has("registration_access_token"));

  // PUT must carry the client_id, and the right one.
  auto update = Rfc7591Request("Etter oppdatering");
  ExpectRegistrationError(svc().http().Request("PUT", path, rat, Json(update)),
                          "invalid_client_metadata");
  update->set("client_id", "00000000-0000-4000-8000-000000000000");
  ExpectRegistrationError(svc().http().Request("PUT", path, rat, Json(update)),
                          "invalid_client_metadata");
  EXPECT_EQ(svc().AuditActions(id), (std::vector<std::string>{"client.create"}));

  update->set("client_id", id);
  update->set("client_secret",
              created->getValue<std::string>("client_secret"));  // RFC 7592 echoes it
  update->set("scope", "openid");
  const HttpResponse put = svc().http().Request("PUT", path, rat, Json(update));
  ASSERT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(put.json->getValue<std::string>("client_name"), "Etter oppdatering");
  EXPECT_EQ(put.json->getValue<std::string>("scope"), "openid");
  EXPECT_FALSE(put.json->has("client_secret"));
  const HttpResponse own = svc().http().Get("/v1/clients/" + id, svc().Operator());
  EXPECT_EQ(own.json->getValue<std::string>("client_name"), "Etter oppdatering");
  EXPECT_EQ(own.json->getValue<int>("version"), 2);
  EXPECT_EQ(svc().AuditActions(id), (std::vector<std::string>{"client.create", "client.update"}));
  // The change is in the history, done by the client's own registration access token.
  const HttpResponse h = svc().http().Get("/v1/clients/" + id + "/history", svc().Operator());
  ASSERT_EQ(h.status, 200);
  auto last = h.json->getArray("items")->getObject(1);
  EXPECT_EQ(last->getValue<std::string>("change"), "update");
  EXPECT_NE(last->getValue<std::string>("actor").find(id), std::string::npos) << Json(last);
}

TEST_F(Registration, DeleteDeactivatesTheClientAndRetiresItsToken) {
  const auto created = Registered(Rfc7591Request());
  const std::string id = created->getValue<std::string>("client_id");
  const std::string path = PathOf(created->getValue<std::string>("registration_client_uri"));
  const Headers rat = Bearer(created->getValue<std::string>("registration_access_token"));

  const HttpResponse del = svc().http().Delete(path, rat);
  EXPECT_EQ(del.status, 204) << del.Describe();
  EXPECT_TRUE(del.body.empty());
  ExpectInvalidToken(svc().http().Get(path, rat));
  ExpectInvalidToken(svc().http().Delete(path, rat));
  auto update = Rfc7591Request();
  update->set("client_id", id);
  ExpectInvalidToken(svc().http().Request("PUT", path, rat, Json(update)));

  // Deactivated, not deleted: the history stays whole.
  const HttpResponse own = svc().http().Get("/v1/clients/" + id, svc().Operator());
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json->getValue<std::string>("state"), "deactivated");
  EXPECT_FALSE(own.json->getValue<bool>("active"));
  EXPECT_EQ(svc().AuditActions(id),
            (std::vector<std::string>{"client.create", "client.deactivate"}));

  // RFC 7592 section 2.3: the token is invalidated for good, even if an operator later
  // reactivates the client.
  ASSERT_EQ(svc().http().Post("/v1/clients/" + id + "/reactivate", "{}", svc().Operator()).status,
            200);
  ExpectInvalidToken(svc().http().Get(path, rat));
}

TEST_F(Registration, AnotherClientsTokenIsRefused) {
  const auto mine = Registered(Rfc7591Request("min"));
  const auto theirs = Registered(Rfc7591Request("deres"));
  const std::string my_path = PathOf(mine->getValue<std::string>("registration_client_uri"));
  const Headers their_token = Bearer(theirs->getValue<std::string>("registration_access_token"));
  const int64_t audit_before = svc().AuditCount();
  ExpectInvalidToken(svc().http().Get(my_path, their_token));
  auto update = Rfc7591Request("kapret");
  update->set("client_id", mine->getValue<std::string>("client_id"));
  ExpectInvalidToken(svc().http().Request("PUT", my_path, their_token, Json(update)));
  ExpectInvalidToken(svc().http().Delete(my_path, their_token));
  // Neither an API token nor no token at all.
  ExpectInvalidToken(svc().http().Get(my_path, svc().Operator()));
  ExpectInvalidToken(svc().http().Get(my_path, Bearer(bound_)));
  ExpectInvalidToken(svc().http().Get(my_path));
  // An unknown client answers exactly like a wrong token.
  ExpectInvalidToken(
      svc().http().Get("/register/00000000-0000-4000-8000-000000000000", their_token));
  const HttpResponse own =
      svc().http().Get("/v1/clients/" + mine->getValue<std::string>("client_id"), svc().Operator());
  EXPECT_EQ(own.json->getValue<std::string>("client_name"), "min");
  EXPECT_EQ(own.json->getValue<std::string>("state"), "active");
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(Registration, MovingAwayFromASecretMethodRetiresTheSecret) {
  const auto created = Registered(Rfc7591Request());
  const std::string id = created->getValue<std::string>("client_id");
  const std::string path = PathOf(created->getValue<std::string>("registration_client_uri"));
  const Headers rat = Bearer(created->getValue<std::string>("registration_access_token"));
  ASSERT_EQ(ActiveSecrets(id), 1);
  // Changing other metadata never touches the secret.
  auto rename = Rfc7591Request("nytt navn");
  rename->set("client_id", id);
  ASSERT_EQ(svc().http().Request("PUT", path, rat, Json(rename)).status, 200);
  EXPECT_EQ(ActiveSecrets(id), 1);
  // DOMAIN: changing token_endpoint_auth_method away from client_secret_* deletes the secret.
  auto jwt = Rfc7591Request("nytt navn");
  jwt->set("client_id", id);
  jwt->set("token_endpoint_auth_method", "private_key_jwt");
  ASSERT_EQ(svc().http().Request("PUT", path, rat, Json(jwt)).status, 200);
  EXPECT_EQ(ActiveSecrets(id), 0);

  // The same through the provider's own API.
  const std::string other = Registered(Rfc7591Request())->getValue<std::string>("client_id");
  ASSERT_EQ(OperatorPatch(other, R"({"token_endpoint_auth_method":"client_secret_post"})"), 200);
  EXPECT_EQ(ActiveSecrets(other), 1);
  ASSERT_EQ(OperatorPatch(other, R"({"token_endpoint_auth_method":"private_key_jwt"})"), 200);
  EXPECT_EQ(ActiveSecrets(other), 0);
}

// The secret and the registration access token are shown once: never in the database in
// clear text (any table, any column), never in the service's log.
TEST_F(Registration, NeverStoresOrLogsTheSecretOrTheTokenInClearText) {
  const auto created = Registered(Rfc7591Request());
  const std::string secret = created->getValue<std::string>("client_secret");
  const std::string token = created->getValue<std::string>("registration_access_token");
  const std::string path = PathOf(created->getValue<std::string>("registration_client_uri"));
  ASSERT_EQ(svc().http().Get(path, Bearer(token)).status,
            200);  // the token goes through the log path too
  ASSERT_GE(secret.size(), 20u);
  ASSERT_GE(token.size(), 20u);

  // Every row of every table in the public schema, as text.
  auto conn = svc().db().Connect();
  db::Result tables = conn->ExecSimple(
      "SELECT quote_ident(table_name) FROM information_schema.tables "
      "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
  ASSERT_GT(tables.rows(), 3);
  bool saw_client_secrets = false;
  for (int i = 0; i < tables.rows(); ++i) {
    const std::string table = tables.Str(i, 0);
    saw_client_secrets = saw_client_secrets || table == "client_secrets";
    // The random part of each (the first characters may be kept as a display prefix).
    db::Result hits = conn->ExecSimple("SELECT count(*) FILTER (WHERE strpos(t::text, " +
                                       SqlLiteral(secret.substr(secret.size() - 16)) +
                                       ") > 0), count(*) FILTER (WHERE strpos(t::text, " +
                                       SqlLiteral(token.substr(token.size() - 16)) +
                                       ") > 0) FROM " + table + " t");
    EXPECT_EQ(hits.Str(0, 0), "0") << "client_secret found in clear text in table " << table;
    EXPECT_EQ(hits.Str(0, 1), "0")
        << "registration_access_token found in clear text in table " << table;
  }
  EXPECT_TRUE(saw_client_secrets);
  // The search itself works: it finds what is stored in clear text, the client_id.
  const std::string id = created->getValue<std::string>("client_id");
  EXPECT_EQ(conn->ExecSimple("SELECT count(*) FROM clients t WHERE strpos(t::text, " +
                             SqlLiteral(id.substr(id.size() - 16)) + ") > 0")
                .Str(0, 0),
            "1");
  const std::string log = svc().api().log();
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(secret.substr(secret.size() - 16)), std::string::npos)
      << "client_secret in the service log";
  EXPECT_EQ(log.find(token.substr(token.size() - 16)), std::string::npos)
      << "registration_access_token in the service log";
}

}  // namespace
}  // namespace onboard::testsupport
