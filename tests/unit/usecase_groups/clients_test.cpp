#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "../metadata_fixtures.hpp"
#include "api_token.hpp"
#include "client_metadata_json.hpp"
#include "clients.hpp"
#include "dynamic_registration.hpp"
#include "fakes.hpp"

namespace onboard::usecases {
namespace {

domain::ClientMetadata WebClient(const std::string& orgno = kOrgA) {
  return domain::testing::WebClientMetadata(orgno);
}

Poco::JSON::Object::Ptr Document(const domain::ClientMetadata& m) { return domain::ToJson(m); }

NewClient New(const std::string& orgno = kOrgA) {
  NewClient c;
  c.document = Document(WebClient(orgno));
  return c;
}

Poco::JSON::Object::Ptr Json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

Caller AccessToken(const std::string& orgno, unsigned permissions, bool supplier) {
  Caller c = testing::Portal(orgno);
  c.access_token = true;
  c.permissions = permissions;
  c.supplier = supplier;
  c.permission = domain::Permission::kClientsCreate;
  return c;
}

struct ClientCases : testing::UseCaseTest {
  Clients cases{clients, scopes, units, caches};

  // A stored client registered by an operator (version 1).
  domain::Client Stored(const std::string& orgno = kOrgA) {
    return cases.Register(testing::Operator(), New(orgno));
  }
};

TEST_F(ClientCases, RegisterWritesAnActiveTestClientWithItsCreateEvent) {
  const domain::Client c = Stored();
  EXPECT_EQ(c.environment, domain::Environment::kTest);
  EXPECT_EQ(c.state, domain::ClientState::kActive);
  EXPECT_EQ(c.registration_channel, "operator");
  ASSERT_EQ(clients.writes.size(), 1u);
  EXPECT_EQ(clients.writes[0].change, "create");
  EXPECT_EQ(clients.writes[0].audit.action, "client.create");
  EXPECT_EQ(clients.writes[0].audit.organisation, kOrgA);
  EXPECT_EQ(clients.writes[0].audit.detail_json,
            R"({"channel":"operator","environment":"test","integration_type":"idporten"})");
}

TEST_F(ClientCases, ProductionClientsComeOnlyFromAProductionOrder) {
  NewClient c = New();
  c.environment = "production";
  c.environment_sent = true;
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "environment", "production_requires_order"));
  c.environment = "staging";
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), c); }).field_errors(),
                  "environment", "invalid_value"));
  EXPECT_TRUE(clients.rows.empty());
}

TEST_F(ClientCases, AnUnreadableEnvironmentIsInvalidNotTheDefault) {
  NewClient c = New();
  c.environment_sent = true;  // e.g. a number: the parser left the text empty
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), c); }).field_errors(),
                  "environment", "invalid_value"));
}

TEST_F(ClientCases, APortalRegistersThroughThePortalChannelOnly) {
  NewClient c = New();
  c.channel = "operator";
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Portal(kOrgA), c); }).field_errors(),
                  "registration_channel", "not_allowed"));
  c.channel.reset();
  EXPECT_EQ(cases.Register(testing::Portal(kOrgA), c).registration_channel, "portal");
}

TEST_F(ClientCases, TheRegistrationApiAndProductionOrderChannelsAreReserved) {
  for (const char* channel : {"registration_api", "production_order", "fax"}) {
    NewClient c = New();
    c.channel = channel;
    EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), c); }).field_errors(),
                    "registration_channel", "invalid_value"))
        << channel;
  }
  NewClient unreadable = New();
  unreadable.channel_unreadable = true;
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), unreadable); }).field_errors(),
                  "registration_channel", "invalid_value"));
  EXPECT_TRUE(clients.rows.empty());
}

TEST_F(ClientCases, APortalRegistersOnlyForItsOwnOrganisation) {
  const AppError e = Thrown([&] { cases.Register(testing::Portal(kOrgB), New(kOrgA)); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_TRUE(Has(e.field_errors(), "client_orgno", "not_own_organisation"));
  EXPECT_TRUE(clients.rows.empty());
}

TEST_F(ClientCases, AnAccessTokenRegistersForAnotherOrganisationOnlyAsItsSupplier) {
  const unsigned write = domain::Bit(domain::Permission::kClientsCreate);
  const AppError e = Thrown([&] { cases.Register(AccessToken(kOrgB, write, false), New()); });
  EXPECT_TRUE(Has(e.field_errors(), "client_orgno", "not_own_organisation"));
  const domain::Client supplied = cases.Register(AccessToken(kOrgB, write, true), New());
  EXPECT_NE(supplied.metadata_json.find(R"("supplier_orgno":")" + kOrgB), std::string::npos);
  // Its own organisation's client needs the route's scope.
  EXPECT_EQ(Thrown([&] { cases.Register(AccessToken(kOrgA, 0, true), New()); }).code(),
            ErrorCode::kForbidden);
}

TEST_F(ClientCases, AnUnknownOrganisationIsAFieldError) {
  clients.known_organisations = std::vector<std::string>{kOrgB};
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), New(kOrgA)); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_TRUE(Has(e.field_errors(), "client_orgno", "unknown_organisation"));
}

TEST_F(ClientCases, InvalidMetadataIsReportedWithTheChannelProblemInOneAnswer) {
  NewClient c = New();
  c.channel = "fax";
  c.document->set("application_type", 5);
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "registration_channel", "invalid_value"));
  EXPECT_GE(e.field_errors().size(), 2u);
}

TEST_F(ClientCases, AnotherOrganisationsClientIsNotFoundForAPortal) {
  const domain::Client c = Stored(kOrgA);
  const AppError e = Thrown([&] { cases.Get(testing::Portal(kOrgB), c.client_id); });
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.detail(), "no such client");
  EXPECT_EQ(cases.Get(testing::Portal(kOrgA), c.client_id).client_id, c.client_id);
}

TEST_F(ClientCases, APortalListsOnlyItsOwnOrganisation) {
  cases.List(testing::Portal(kOrgA), {});
  ClientQuery other;
  other.organisation = kOrgB;
  cases.List(testing::Portal(kOrgA), other);
  ASSERT_EQ(clients.filters.size(), 2u);
  EXPECT_EQ(clients.filters[0].organisation, kOrgA);
  EXPECT_EQ(clients.filters[1].organisation, "000000000");
  ClientQuery bad;
  bad.state = "sleeping";
  EXPECT_TRUE(Has(Thrown([&] { cases.List(testing::Operator(), bad); }).field_errors(), "state",
                  "invalid_value"));
}

// GET /clients: List's visibility, every page, in use or deactivated (`inactive`).
TEST_F(ClientCases, TheSelfServiceListShowsWhatTheCallerSeesInUseOrDeactivated) {
  const domain::Client a = Stored(kOrgA);
  domain::Client gone = Stored(kOrgA);
  clients.rows[gone.client_id].state = domain::ClientState::kDeactivated;
  Stored(kOrgB);
  ASSERT_EQ(cases.ListAll(testing::Portal(kOrgA), "").size(), 1u);
  EXPECT_EQ(clients.filters.back().organisation, kOrgA);
  EXPECT_EQ(cases.ListAll(testing::Portal(kOrgA), "false").front().client_id, a.client_id);
  const auto deactivated = cases.ListAll(testing::Portal(kOrgA), "true");
  ASSERT_EQ(deactivated.size(), 1u);
  EXPECT_EQ(deactivated[0].client_id, gone.client_id);
  EXPECT_EQ(cases.ListAll(testing::Operator(), "").size(), 2u);
  EXPECT_FALSE(clients.filters.back().organisation);
  cases.ListAll(AccessToken(kOrgA, 0, false), "");
  EXPECT_EQ(clients.filters.back().visible_own, "000000000");  // sees nothing
  cases.ListAll(AccessToken(kOrgA, domain::Bit(domain::Permission::kClientsCreate), true), "");
  EXPECT_EQ(clients.filters.back().visible_own, kOrgA);
  EXPECT_EQ(clients.filters.back().visible_supplied, kOrgA);
  cases.ListAll(AccessToken(kOrgA, 0, true), "");
  EXPECT_FALSE(clients.filters.back().visible_own);
  EXPECT_TRUE(Has(Thrown([&] { cases.ListAll(testing::Operator(), "yes"); }).field_errors(),
                  "inactive", "invalid_value"));
}

TEST_F(ClientCases, LeavingASecretMethodRevokesTheSecrets) {
  const domain::Client c = Stored();
  ClientMetadataChange patch{.client_id = c.client_id,
                             .if_match = "",
                             .document = Json(R"({"token_endpoint_auth_method":"none",
                                                  "application_type":"browser"})")};
  const domain::Client updated = cases.Patch(testing::Operator(), patch);
  EXPECT_EQ(updated.version, 2);
  ASSERT_EQ(clients.writes.size(), 2u);
  EXPECT_TRUE(clients.writes[1].revoke_secrets);
  EXPECT_NE(clients.writes[1].audit.detail_json.find(R"("secrets_revoked":true)"),
            std::string::npos);
  EXPECT_EQ(clients.writes[1].audit.action, "client.update");
}

TEST_F(ClientCases, KeepingASecretMethodKeepsTheSecrets) {
  const domain::Client c = Stored();
  ClientMetadataChange patch{
      .client_id = c.client_id, .if_match = "", .document = Json(R"({"client_name":"Ny"})")};
  cases.Patch(testing::Operator(), patch);
  EXPECT_FALSE(clients.writes[1].revoke_secrets);
  EXPECT_EQ(clients.writes[1].audit.detail_json,
            R"({"changed_fields":["client_name"],"environment":"test","from_version":1,)"
            R"("state":"active"})");
}

// ... once the change committed: the invalidation is the unit's after-commit hook, so a
// change the store refuses (here a stale version) invalidates nothing.
TEST_F(ClientCases, AChangeMakesTheProviderForgetTheClient) {
  const domain::Client c = Stored();
  EXPECT_TRUE(caches.clients_changed.empty());
  clients.refuse_update.emplace(ErrorCode::kPreconditionFailed, "stale", "",
                                std::vector<FieldError>{}, "version_mismatch");
  EXPECT_EQ(Thrown([&] {
              cases.Deactivate(testing::Operator(), {.client_id = c.client_id, .if_match = ""});
            }).code_name(),
            "version_mismatch");
  EXPECT_TRUE(caches.clients_changed.empty());
  EXPECT_EQ(units.log.rolled_back, 1);
  clients.refuse_update.reset();
  cases.Deactivate(testing::Operator(), {.client_id = c.client_id, .if_match = ""});
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{c.client_id});
  EXPECT_EQ(units.log.committed, 1);
  EXPECT_EQ(units.log.hooks_run, 1);
}

TEST_F(ClientCases, APortalMustSendIfMatchToChangeMetadataButNotState) {
  const domain::Client c = Stored();
  ClientMetadataChange patch{
      .client_id = c.client_id, .if_match = "", .document = Json(R"({"client_name":"Ny"})")};
  EXPECT_EQ(Thrown([&] { cases.Patch(testing::Portal(kOrgA), patch); }).code(),
            ErrorCode::kPreconditionRequired);
  patch.if_match = "\"7\"";
  EXPECT_EQ(Thrown([&] { cases.Patch(testing::Portal(kOrgA), patch); }).code(),
            ErrorCode::kPreconditionFailed);
  patch.if_match = "\"1\"";
  EXPECT_EQ(cases.Patch(testing::Portal(kOrgA), patch).version, 2);
  const domain::Client off =
      cases.Deactivate(testing::Portal(kOrgA), {.client_id = c.client_id, .if_match = ""});
  EXPECT_EQ(off.state, domain::ClientState::kDeactivated);
}

TEST_F(ClientCases, AClientCannotMoveToAnotherOrganisation) {
  const domain::Client c = Stored();
  ClientMetadataChange patch{.client_id = c.client_id,
                             .if_match = "",
                             .document = Json(R"({"client_orgno":")" + kOrgB + R"("})")};
  EXPECT_TRUE(Has(Thrown([&] { cases.Patch(testing::Operator(), patch); }).field_errors(),
                  "client_orgno", "immutable"));
  EXPECT_EQ(clients.writes.size(), 1u);
}

TEST_F(ClientCases, PutMayEchoButNotChangeTheEnvironmentOrId) {
  const domain::Client c = Stored();
  Poco::JSON::Object::Ptr doc = Document(WebClient());
  doc->set("environment", "test");
  doc->set("client_id", c.client_id);
  doc->set("version", 1);
  EXPECT_EQ(cases.Replace(testing::Operator(), {c.client_id, "", doc}).version, 2);
  doc->set("environment", "production");
  doc->set("client_id", "other");
  const AppError e = Thrown([&] { cases.Replace(testing::Operator(), {c.client_id, "", doc}); });
  EXPECT_TRUE(Has(e.field_errors(), "environment", "immutable"));
  EXPECT_TRUE(Has(e.field_errors(), "client_id", "immutable"));
}

TEST_F(ClientCases, ReactivationReturnsAClientThatWasNeverActiveToAwaitingCredentials) {
  domain::Client& c = clients.Add("c-1", kOrgA, domain::Environment::kProduction);
  c.state = domain::ClientState::kDeactivated;
  domain::ClientChange created;
  created.version = 1;
  created.change = "create";
  created.state = "awaiting_credentials";
  domain::ClientChange deactivated = created;
  deactivated.version = 2;
  deactivated.change = "deactivate";
  deactivated.state = "deactivated";
  clients.histories["c-1"] = {created, deactivated};
  c.version = 2;
  EXPECT_EQ(cases.Reactivate(testing::Operator(), {"c-1", ""}).state,
            domain::ClientState::kAwaitingCredentials);
  EXPECT_EQ(Thrown([&] {
              cases.Reactivate(testing::Operator(), {"c-1", ""});
            }).code(),
            ErrorCode::kConflict);  // active-or-awaiting cannot be reactivated again
}

TEST(ClientDraft, BuildsTheClientAndItsCreationDiffInOnePlace) {
  const ClientDraft d =
      DraftClient(domain::Environment::kProduction, domain::ClientState::kAwaitingCredentials,
                  "production_order", "ops", WebClient());
  EXPECT_EQ(d.client.client_id.size(), 36u);
  EXPECT_EQ(d.client.metadata_json, domain::MetadataToJsonText(d.client.metadata));
  EXPECT_EQ(d.creation_diff, domain::DiffMetadataJson("{}", d.client.metadata_json));
  EXPECT_EQ(d.client.registration_channel, "production_order");
}

// RFC 7591 / RFC 7592.

struct RegistrationCases : testing::UseCaseTest {
  DynamicRegistration cases{clients, organisations, scopes, units, caches, {"pepper", 90}};

  void SetUp() override {
    for (const auto& orgno : {kOrgA, kOrgB}) {
      domain::Organisation org;
      org.orgno = orgno;
      org.name = "Etaten";
      organisations.rows[orgno] = org;
    }
  }
  static Poco::JSON::Object::Ptr Request() {
    return Json(R"({"client_name":"Min side","application_type":"web",
                    "grant_types":["authorization_code"],"response_types":["code"],
                    "scope":"openid profile","token_endpoint_auth_method":"client_secret_basic",
                    "redirect_uris":["https://app.example.no/callback"],
                    "post_logout_redirect_uris":["https://app.example.no/logout"]})");
  }
  RegistrationAccess Access(const RegisteredClient& r) const {
    return {r.client.client_id, std::string(r.registration_token.reveal()), "req-2", "::1"};
  }
};

TEST_F(RegistrationCases, APortalRegistersForItsOwnOrganisationByDefaultAndGetsASecret) {
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *Request());
  EXPECT_EQ(r.client.registration_channel, "registration_api");
  EXPECT_NE(r.client.metadata_json.find(kOrgA), std::string::npos);
  ASSERT_TRUE(r.secret.has_value());
  ASSERT_EQ(clients.writes.size(), 1u);
  ASSERT_TRUE(clients.writes[0].new_secret.has_value());
  EXPECT_EQ(clients.writes[0].audit.detail_json,
            R"({"channel":"registration_api","environment":"test","secret_id":")" +
                r.secret->record.secret_id + R"("})");
  EXPECT_EQ(clients.registration_tokens.count(domain::HashToken(r.registration_token.reveal())),
            1u);
}

TEST_F(RegistrationCases, APortalCannotRegisterForAnotherOrganisation) {
  auto request = Request();
  request->set("client_orgno", kOrgB);
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Portal(kOrgA), *request); }).field_errors(),
                  "client_orgno", "not_own_organisation"));
}

TEST_F(RegistrationCases, AnOperatorNamesARegisteredOrganisation) {
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), *Request()); }).field_errors(),
                  "client_orgno", "required"));
  auto request = Request();
  request->set("client_orgno", "910000004");
  EXPECT_TRUE(Has(Thrown([&] { cases.Register(testing::Operator(), *request); }).field_errors(),
                  "client_orgno", "unknown_organisation"));
  EXPECT_TRUE(clients.rows.empty());
}

TEST_F(RegistrationCases, NoSecretForAMethodThatUsesNone) {
  auto request = Request();
  request->set("token_endpoint_auth_method", "none");
  request->set("application_type", "browser");
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *request);
  EXPECT_FALSE(r.secret.has_value());
  EXPECT_FALSE(clients.writes[0].new_secret.has_value());
}

TEST_F(RegistrationCases, TranslatesTheStandardMembersAndRefusesStatements) {
  const auto doc = FromRegistrationRequest(*Request(), kOrgA);
  EXPECT_FALSE(doc->has("scope"));
  EXPECT_EQ(doc->getArray("scopes")->size(), 2u);
  EXPECT_FALSE(doc->has("response_types"));
  EXPECT_EQ(doc->getValue<std::string>("integration_type"), "idporten");
  auto request = Request();
  request->set("software_statement", "eyJ...");
  request->set("jwks_uri", "https://example.no/jwks");
  const AppError e = Thrown([&] { FromRegistrationRequest(*request, kOrgA); });
  EXPECT_TRUE(Has(e.field_errors(), "software_statement", "invalid_software_statement"));
  EXPECT_TRUE(Has(e.field_errors(), "jwks_uri", "not_supported"));
}

TEST_F(RegistrationCases, TheResponseTranslatesTheStoredMetadataBack) {
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *Request());
  const auto out = ToRegistrationResponse(r.client);
  EXPECT_EQ(out->getValue<std::string>("scope"), "openid profile");
  EXPECT_FALSE(out->has("scopes"));
  ASSERT_EQ(out->getArray("response_types")->size(), 1u);
  EXPECT_EQ(out->getArray("response_types")->getElement<std::string>(0), "code");
  EXPECT_FALSE(out->has("jwks")) << "a client without keys has no JWK Set";
  EXPECT_EQ(out->getValue<std::string>("client_id"), r.client.client_id);
  EXPECT_EQ(out->getValue<std::string>("client_orgno"), kOrgA);
  // A stored key array goes out as a JWK Set; a client without authorization_code has no
  // response type.
  domain::Client keyed = r.client;
  keyed.metadata_json = R"({"grant_types":["client_credentials"],"jwks":[{"kty":"EC"}]})";
  const auto set = ToRegistrationResponse(keyed);
  EXPECT_EQ(set->getArray("response_types")->size(), 0u);
  ASSERT_TRUE(set->getObject("jwks"));
  EXPECT_EQ(set->getObject("jwks")->getArray("keys")->size(), 1u);
  EXPECT_FALSE(set->has("scope"));
}

TEST_F(RegistrationCases, OnlyTheClientsOwnTokenReadsIt) {
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *Request());
  EXPECT_EQ(cases.Read(Access(r)).client_id, r.client.client_id);
  RegistrationAccess wrong = Access(r);
  wrong.token = "nope";
  EXPECT_EQ(Thrown([&] { cases.Read(wrong); }).code(), ErrorCode::kUnauthenticated);
  wrong.token = "";
  EXPECT_EQ(Thrown([&] { cases.Read(wrong); }).detail(), "a registration access token is required");
  RegistrationAccess other = Access(r);
  other.client_id = "another";
  EXPECT_EQ(Thrown([&] { cases.Read(other); }).code(), ErrorCode::kUnauthenticated);
}

TEST_F(RegistrationCases, AnUpdateRepeatsTheClientIdAndLeavingTheSecretMethodRevokesIt) {
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *Request());
  auto request = Request();
  EXPECT_TRUE(Has(Thrown([&] { cases.Update(Access(r), *request); }).field_errors(), "client_id",
                  "mismatch"));
  request->set("client_id", r.client.client_id);
  request->set("token_endpoint_auth_method", "none");
  request->set("application_type", "browser");
  cases.Update(Access(r), *request);
  ASSERT_EQ(clients.writes.size(), 2u);
  EXPECT_TRUE(clients.writes[1].revoke_secrets);
  EXPECT_EQ(clients.writes[1].audit.detail_json, R"({"secrets_revoked":true})");
  EXPECT_EQ(clients.writes[1].audit.actor.name, "registration_access_token:" + r.client.client_id);
  EXPECT_EQ(caches.clients_changed.size(), 1u);
}

TEST_F(RegistrationCases, DeleteDeactivatesAndRetiresTheTokenForGood) {
  const RegisteredClient r = cases.Register(testing::Portal(kOrgA), *Request());
  cases.Delete(Access(r));
  const domain::ClientWrite& w = clients.writes.back();
  EXPECT_TRUE(w.retire_registration_token);
  EXPECT_TRUE(w.revoke_secrets);
  EXPECT_EQ(w.audit.action, "client.deactivate");
  EXPECT_EQ(clients.rows[r.client.client_id].state, domain::ClientState::kDeactivated);
  EXPECT_EQ(Thrown([&] { cases.Read(Access(r)); }).code(), ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace onboard::usecases
