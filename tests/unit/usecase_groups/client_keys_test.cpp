#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <ctime>

#include "client_keys.hpp"
#include "fakes.hpp"
#include "pki_fixtures.hpp"

namespace onboard::usecases {
namespace {

namespace pki = testsupport::pki;
using testing::Has;
using testing::kOrgA;
using testing::kOrgB;
using testing::Thrown;

struct FakeClientKeys : domain::ClientKeyStore {
  std::vector<domain::ClientKey> rows;
  std::vector<domain::KeyWrite> writes;
  std::vector<std::size_t> rooms;
  struct Removal {
    std::string kid;
    bool keep_one = false;
    domain::AuditEvent audit;
  };
  std::vector<Removal> removals;
  bool awaits_certificate = false;
  std::optional<AppError> refuse;  ///< what the next write throws (as the database would)

  std::vector<domain::ClientKey> List(const std::string&) override { return rows; }
  domain::ClientKey Add(domain::UnitOfWork&, const domain::ClientKey& key, std::size_t max_keys,
                        const domain::KeyWrite& write) override {
    if (refuse) throw *refuse;
    rows.push_back(key);
    writes.push_back(write);
    rooms.push_back(max_keys);
    return key;
  }
  void Remove(domain::UnitOfWork&, const std::string&, const std::string& kid, const std::string&,
              bool keep_one, const domain::AuditEvent& audit) override {
    if (refuse) throw *refuse;
    removals.push_back({kid, keep_one, audit});
  }
  bool AwaitsCertificate(const std::string&) override { return awaits_certificate; }
};

struct FakeJwkSets : domain::JwkSetStore {
  std::vector<domain::JwkSetChange> changes;
  domain::JwkSetResult Replace(domain::UnitOfWork&, const std::string&,
                               const domain::JwkSetChange& change) override {
    changes.push_back(change);
    return {.keys = change.keys};
  }
};

// The PKI of the process: one root per environment.
struct KeysPki {
  pki::Cert test_root = pki::MakeRoot("Test Root CA");
  pki::Cert production_root = pki::MakeRoot("Production Root CA");
  domain::TrustAnchors test = domain::TrustAnchors::FromPem(test_root.Pem(), {});
  domain::TrustAnchors production = domain::TrustAnchors::FromPem(production_root.Pem(), {});
  domain::CertificatePolicy policy;
};
const KeysPki& Pki() {
  static const KeysPki p;
  return p;
}

pki::Cert LeafOf(const pki::Cert& root, const std::string& orgno = kOrgA) {
  pki::CertOptions o;
  o.serial_number = orgno;
  return pki::Issue(root, o);
}

// A bare RSA JWK of the shared test key.
domain::Jwk RsaJwk(const std::optional<std::string>& kid = "k1") {
  Poco::JSON::Parser parser;
  const auto o = parser.parse(pki::SharedRsaKey().PublicJwk(kid.value_or("x"), "RS256"))
                     .extract<Poco::JSON::Object::Ptr>();
  domain::Jwk jwk;
  jwk.kty = "RSA";
  jwk.alg = "RS256";
  jwk.use = "sig";
  jwk.kid = kid;
  jwk.n = o->getValue<std::string>("n");
  jwk.e = o->getValue<std::string>("e");
  return jwk;
}

domain::ClientMetadata KeyClientMetadata(domain::AuthMethod method) {
  domain::ClientMetadata m;
  m.client_name = "Min side";
  m.integration_type = domain::IntegrationType::kIdporten;
  m.application_type = domain::ApplicationType::kWeb;
  m.token_endpoint_auth_method = method;
  m.grant_types = {"authorization_code"};
  m.scopes = {"openid", "profile"};
  m.redirect_uris = {"https://app.example.no/callback"};
  m.post_logout_redirect_uris = {"https://app.example.no/logout"};
  m.client_orgno = kOrgA;
  return m;
}

struct KeyCases : ::testing::Test {
  testing::FakeClients clients_store;
  FakeClientKeys keys;
  FakeJwkSets jwk_sets;
  testing::FakeCaches caches;
  testing::FakeUnitsOfWork units;
  const domain::ScopeCatalogue scopes = domain::ScopeCatalogue::Default();
  Clients clients{clients_store, scopes, units, caches};
  ClientKeys cases{
      clients, keys, jwk_sets, scopes, units, caches, {Pki().test, Pki().production, Pki().policy}};

  std::string Stored(domain::Environment environment = domain::Environment::kTest,
                     domain::AuthMethod method = domain::AuthMethod::kClientSecretBasic,
                     domain::ClientState state = domain::ClientState::kActive) {
    ClientDraft draft =
        DraftClient(environment, state, "operator", "ops", KeyClientMetadata(method));
    draft.client.version = 3;
    clients_store.rows[draft.client.client_id] = draft.client;
    return draft.client.client_id;
  }

  // Gives the stored client metadata `jwks` with `kid`.
  void WithMetadataJwk(const std::string& id, const std::string& kid) {
    domain::Client& c = clients_store.rows[id];
    c.metadata = domain::ParseStoredMetadata(c.metadata_json);
    c.metadata.jwks.push_back(RsaJwk(kid));
    c.metadata_json = domain::MetadataToJsonText(c.metadata);
  }

  CertificateUpload Upload(const std::string& id, const pki::Cert& leaf) {
    return {.client_id = id, .if_match = "", .chain = {leaf.Der()}};
  }

  NewJwk Jwk(const std::string& id, domain::Jwk jwk = RsaJwk()) {
    return {.client_id = id,
            .if_match = "",
            .jwk = std::move(jwk),
            .input_errors = {},
            .unexpected_fields = {}};
  }
};

TEST_F(KeyCases, ACertificateIsCheckedAgainstTheAnchorsOfTheClientsEnvironment) {
  const std::string test = Stored();
  const std::string production = Stored(domain::Environment::kProduction);
  const pki::Cert leaf = LeafOf(Pki().test_root);
  EXPECT_EQ(Thrown([&] {
              cases.BindCertificate(testing::Operator(), Upload(production, leaf));
            }).code_name(),
            "certificate_chain_incomplete");  // no anchor of production issued it
  EXPECT_TRUE(keys.rows.empty());
  const domain::ClientKey key = cases.BindCertificate(testing::Operator(), Upload(test, leaf));
  EXPECT_EQ(key.kind, "certificate");
  EXPECT_EQ(key.kid, leaf.Thumbprint());
  EXPECT_EQ(key.created_by, "ops");
}

TEST_F(KeyCases, ACertificateMustBeTheClientsOrganisations) {
  const std::string id = Stored();
  const AppError e = Thrown([&] {
    cases.BindCertificate(testing::Operator(), Upload(id, LeafOf(Pki().test_root, kOrgB)));
  });
  EXPECT_EQ(e.code_name(), "certificate_orgno_mismatch");
  EXPECT_TRUE(keys.rows.empty());
}

TEST_F(KeyCases, AnUploadHoldsAtMostTenCertificates) {
  const std::string id = Stored();
  CertificateUpload upload = Upload(id, LeafOf(Pki().test_root));
  upload.chain.resize(11, upload.chain[0]);
  const AppError e = Thrown([&] { cases.BindCertificate(testing::Operator(), upload); });
  EXPECT_EQ(e.code_name(), "certificate_malformed");
  EXPECT_TRUE(Has(e.field_errors(), "chain", "too_many_items"));
}

TEST_F(KeyCases, AStaleIfMatchIsRefusedBeforeTheCertificateIsChecked) {
  const std::string id = Stored();
  CertificateUpload upload = Upload(id, LeafOf(Pki().test_root));
  upload.if_match = "\"2\"";
  EXPECT_EQ(Thrown([&] { cases.BindCertificate(testing::Operator(), upload); }).code(),
            ErrorCode::kPreconditionFailed);
  upload.if_match = "\"3\"";
  cases.BindCertificate(testing::Operator(), upload);
  ASSERT_EQ(keys.writes.size(), 1u);
  EXPECT_EQ(keys.writes[0].expected_version, 3);
}

TEST_F(KeyCases, ANewKeySwitchesToPrivateKeyJwtRevokesSecretsAndIsAudited) {
  const std::string id = Stored();
  cases.BindCertificate(testing::Operator(), Upload(id, LeafOf(Pki().test_root)));
  ASSERT_EQ(keys.writes.size(), 1u);
  const domain::KeyWrite& w = keys.writes[0];
  EXPECT_TRUE(w.revoke_secrets);
  ASSERT_TRUE(w.next_client);
  EXPECT_EQ(domain::ParseStoredMetadata(w.next_client->metadata_json).token_endpoint_auth_method,
            domain::AuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(w.change, "update");
  EXPECT_EQ(w.audit.action, "client.certificate_bind");
  EXPECT_NE(w.audit.detail_json.find("\"auth_method_changed\":true"), std::string::npos);
  EXPECT_NE(w.audit.detail_json.find("\"secrets_revoked\":true"), std::string::npos);
  EXPECT_NE(w.audit.detail_json.find("\"environment\":\"test\""), std::string::npos);
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

TEST_F(KeyCases, AClientAlreadyOnPrivateKeyJwtKeepsItsRow) {
  const std::string id = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  cases.RegisterJwk(testing::Operator(), Jwk(id));
  ASSERT_EQ(keys.writes.size(), 1u);
  EXPECT_FALSE(keys.writes[0].next_client);
  EXPECT_NE(keys.writes[0].audit.detail_json.find("\"auth_method_changed\":false"),
            std::string::npos);
}

TEST_F(KeyCases, AClientWhoseMetadataForbidsPrivateKeyJwtGetsNoKey) {
  clients_store.Add("c-1", kOrgA);  // metadata without redirect URIs or scopes
  const AppError e = Thrown([&] { cases.RegisterJwk(testing::Operator(), Jwk("c-1")); });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.code_name(), "auth_method_not_allowed");
  EXPECT_TRUE(keys.rows.empty());
}

TEST_F(KeyCases, TheAwaitedCertificateActivatesAProductionClient) {
  const std::string id =
      Stored(domain::Environment::kProduction, domain::AuthMethod::kPrivateKeyJwt,
             domain::ClientState::kAwaitingCredentials);
  const pki::Cert leaf = LeafOf(Pki().production_root);
  cases.BindCertificate(testing::Operator(), Upload(id, leaf));
  EXPECT_FALSE(keys.writes.back().next_client);  // no certificate order awaits it
  keys.awaits_certificate = true;
  keys.rows.clear();
  cases.BindCertificate(testing::Operator(), Upload(id, leaf));
  const domain::KeyWrite& w = keys.writes.back();
  EXPECT_EQ(w.change, "activate");
  ASSERT_TRUE(w.next_client);
  EXPECT_EQ(w.next_client->state, domain::ClientState::kActive);
  EXPECT_NE(w.audit.detail_json.find("\"activated\":true"), std::string::npos);
}

TEST_F(KeyCases, AJwkIsValidatedAndNamedByItsThumbprintWhenItHasNoKid) {
  const std::string id = Stored();
  domain::Jwk bad = RsaJwk();
  bad.alg = "HS256";
  const AppError e = Thrown([&] { cases.RegisterJwk(testing::Operator(), Jwk(id, bad)); });
  EXPECT_EQ(e.detail(), "the JWK is invalid");
  ASSERT_FALSE(e.field_errors().empty());
  EXPECT_EQ(e.field_errors()[0].path.rfind("alg", 0), 0u) << e.field_errors()[0].path;
  NewJwk unread = Jwk(id);
  unread.input_errors = {{"colour", "unknown_field", "unknown field colour"}};
  EXPECT_TRUE(Has(Thrown([&] { cases.RegisterJwk(testing::Operator(), unread); }).field_errors(),
                  "colour", "unknown_field"));
  const domain::ClientKey key =
      cases.RegisterJwk(testing::Operator(), Jwk(id, RsaJwk(std::nullopt)));
  EXPECT_EQ(key.kid.size(), 43u);  // base64url SHA-256 (RFC 7638)
  EXPECT_EQ(keys.writes[0].audit.action, "client.jwk_register");
}

TEST_F(KeyCases, AKidOfTheMetadataJwksIsTakenAndLeavesLessRoom) {
  const std::string id = Stored();
  WithMetadataJwk(id, "k1");
  EXPECT_EQ(Thrown([&] { cases.RegisterJwk(testing::Operator(), Jwk(id)); }).code_name(),
            "kid_already_registered");
  cases.RegisterJwk(testing::Operator(), Jwk(id, RsaJwk("k2")));
  EXPECT_EQ(keys.rooms, std::vector<std::size_t>{domain::kMaxClientKeys - 1});
}

TEST_F(KeyCases, TheLastKeyOfAnActivePrivateKeyJwtClientIsKept) {
  const std::string active = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  const std::string secret = Stored();
  cases.RemoveKey(testing::Operator(), active, "k1");
  cases.RemoveKey(testing::Operator(), secret, "k1");
  WithMetadataJwk(active, "m1");
  cases.RemoveKey(testing::Operator(), active, "k1");
  ASSERT_EQ(keys.removals.size(), 3u);
  EXPECT_TRUE(keys.removals[0].keep_one);
  EXPECT_FALSE(keys.removals[1].keep_one);
  EXPECT_FALSE(keys.removals[2].keep_one);  // its metadata jwks remain
  EXPECT_EQ(keys.removals[0].audit.action, "client.key_remove");
  EXPECT_EQ(keys.removals[0].audit.detail_json, R"({"environment":"test","kid":"k1"})");
  EXPECT_EQ(caches.clients_changed, (std::vector<std::string>{active, secret, active}));
}

TEST_F(KeyCases, AnotherOrganisationsKeysAreNotFoundForAPortal) {
  const std::string id = Stored();
  EXPECT_EQ(Thrown([&] { cases.JwkSet(testing::Portal(kOrgB), id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(Thrown([&] { cases.RemoveKey(testing::Portal(kOrgB), id, "k1"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(keys.removals.empty());
}

TEST_F(KeyCases, TheCertificateListHoldsOnlyCertificates) {
  const std::string id = Stored();
  keys.rows.resize(2);
  keys.rows[0].kind = "jwk";
  keys.rows[1].kind = "certificate";
  ASSERT_EQ(cases.Certificates(testing::Portal(kOrgA), id).size(), 1u);
  EXPECT_EQ(cases.JwkSet(testing::Portal(kOrgA), id).keys.size(), 2u);
}

TEST_F(KeyCases, AReplacedSetTakesBareKeysWithUniqueKids) {
  const std::string id = Stored();
  JwkSetReplacement with_x5c{
      .client_id = id, .keys = {RsaJwk()}, .input_errors = {}, .unexpected_fields = {}};
  with_x5c.keys[0].x5c.emplace();
  EXPECT_TRUE(
      Has(Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), with_x5c); }).field_errors(),
          "keys/0/x5c", "not_supported"));
  JwkSetReplacement twice{
      .client_id = id, .keys = {RsaJwk(), RsaJwk()}, .input_errors = {}, .unexpected_fields = {}};
  EXPECT_EQ(Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), twice); }).detail(),
            "the JWK Set is invalid");
  JwkSetReplacement unread{.client_id = id,
                           .keys = {},
                           .input_errors = {{"keys", "required", "-"}},
                           .unexpected_fields = {}};
  EXPECT_TRUE(Has(Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), unread); }).field_errors(),
                  "keys", "required"));
  EXPECT_TRUE(jwk_sets.changes.empty());
}

TEST_F(KeyCases, AReplacedSetDropsTheMetadataJwksAndIsAudited) {
  const std::string id = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  WithMetadataJwk(id, "m1");
  JwkSetReplacement set{.client_id = id,
                        .keys = {RsaJwk("a"), RsaJwk("b")},
                        .input_errors = {},
                        .unexpected_fields = {}};
  const ClientJwkSet out = cases.ReplaceJwkSet(testing::Operator(), set);
  ASSERT_EQ(jwk_sets.changes.size(), 1u);
  const domain::JwkSetChange& change = jwk_sets.changes[0];
  EXPECT_EQ(change.keys.size(), 2u);
  EXPECT_EQ(change.changed_by, "ops");
  ASSERT_TRUE(change.write.next_client);
  EXPECT_EQ(change.write.change, "update");
  EXPECT_TRUE(domain::ParseStoredMetadata(change.write.next_client->metadata_json).jwks.empty());
  EXPECT_TRUE(out.metadata.jwks.empty());
  EXPECT_EQ(change.write.audit.action, "client.jwks_replace");
  EXPECT_NE(change.write.audit.detail_json.find("\"keys\":2"), std::string::npos);
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

// A key change reads its body only after the client is found and its If-Match holds, as
// the handlers did before #15 (8fa6b88): a malformed upload for a client the caller cannot
// see is still its 404, with a stale If-Match still a 412.
TEST_F(KeyCases, AKeyChangeReadsItsBodyOnlyOnceTheClientIsFoundAndItsIfMatchHolds) {
  int reads = 0;
  const auto malformed = [&](auto&) {
    ++reads;
    throw AppError(ErrorCode::kBadRequest, "the body is not JSON");
  };
  const std::string id = Stored();
  CertificateUpload upload{.client_id = "nope", .if_match = "", .chain = {}};
  NewJwk jwk = Jwk("nope");
  JwkSetReplacement set{
      .client_id = "nope", .keys = {}, .input_errors = {}, .unexpected_fields = {}};
  EXPECT_EQ(Thrown([&] { cases.BindCertificate(testing::Operator(), upload, malformed); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(Thrown([&] { cases.RegisterJwk(testing::Operator(), jwk, malformed); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), set, malformed); }).code(),
            ErrorCode::kNotFound);
  set.client_id = id;
  EXPECT_EQ(Thrown([&] { cases.ReplaceJwkSet(testing::Portal(kOrgB), set, malformed); }).code(),
            ErrorCode::kNotFound);
  upload.client_id = jwk.client_id = id;
  upload.if_match = jwk.if_match = "\"2\"";
  EXPECT_EQ(Thrown([&] { cases.BindCertificate(testing::Operator(), upload, malformed); }).code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(Thrown([&] { cases.RegisterJwk(testing::Operator(), jwk, malformed); }).code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(reads, 0);
  upload.if_match = jwk.if_match = "\"3\"";
  EXPECT_EQ(Thrown([&] { cases.BindCertificate(testing::Operator(), upload, malformed); }).code(),
            ErrorCode::kBadRequest);
  EXPECT_EQ(Thrown([&] { cases.RegisterJwk(testing::Operator(), jwk, malformed); }).code(),
            ErrorCode::kBadRequest);
  EXPECT_EQ(Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), set, malformed); }).code(),
            ErrorCode::kBadRequest);
  EXPECT_EQ(reads, 3);
  // What the reader reads is what the use case stores.
  const pki::Cert leaf = LeafOf(Pki().test_root);
  const domain::ClientKey key = cases.BindCertificate(
      testing::Operator(), upload, [&](CertificateUpload& c) { c.chain = {leaf.Der()}; });
  EXPECT_EQ(key.kid, leaf.Thumbprint());
}

// Members nobody reads are listed after the rules' errors, where JsonFields::Finish put
// them when the handlers checked the rules.
TEST_F(KeyCases, UnknownMembersAreListedAfterTheRulesErrors) {
  const std::string id = Stored();
  NewJwk jwk = Jwk(id);
  jwk.jwk.alg = "HS256";
  jwk.unexpected_fields = {{"colour", "unknown_field", "unknown field colour"}};
  const AppError e = Thrown([&] { cases.RegisterJwk(testing::Operator(), jwk); });
  ASSERT_GE(e.field_errors().size(), 2u);
  EXPECT_EQ(e.field_errors().front().path.rfind("alg", 0), 0u) << e.field_errors().front().path;
  EXPECT_EQ(e.field_errors().back().path, "colour");
  JwkSetReplacement twice{.client_id = id,
                          .keys = {RsaJwk(), RsaJwk()},
                          .input_errors = {},
                          .unexpected_fields = {{"colour", "unknown_field", "-"}}};
  const AppError set = Thrown([&] { cases.ReplaceJwkSet(testing::Operator(), twice); });
  ASSERT_GE(set.field_errors().size(), 2u);
  EXPECT_EQ(set.field_errors().back().path, "colour");
  EXPECT_NE(set.field_errors().front().path, "colour");
}

// The provider forgets a client's keys only once the change committed (an after-commit
// hook of the change's unit of work), never after a write the store refused.
TEST_F(KeyCases, TheProviderForgetsTheClientOnlyAfterTheKeyChangeCommitted) {
  const std::string id = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  keys.refuse.emplace(ErrorCode::kConflict, "too many", "", std::vector<FieldError>{},
                      "too_many_keys");
  EXPECT_EQ(Thrown([&] { cases.RegisterJwk(testing::Operator(), Jwk(id)); }).code_name(),
            "too_many_keys");
  keys.refuse.emplace(ErrorCode::kConflict, "last key", "", std::vector<FieldError>{},
                      "key_required");
  EXPECT_EQ(Thrown([&] { cases.RemoveKey(testing::Operator(), id, "k1"); }).code_name(),
            "key_required");
  EXPECT_TRUE(caches.clients_changed.empty());
  EXPECT_EQ(units.log.rolled_back, 2);
  EXPECT_EQ(units.log.hooks_run, 0);
  keys.refuse.reset();
  cases.RegisterJwk(testing::Operator(), Jwk(id));
  cases.RemoveKey(testing::Operator(), id, "k1");
  JwkSetReplacement set{
      .client_id = id, .keys = {RsaJwk("a")}, .input_errors = {}, .unexpected_fields = {}};
  cases.ReplaceJwkSet(testing::Operator(), set);
  EXPECT_EQ(units.log.committed, 3);
  EXPECT_EQ(units.log.hooks_run, 3);  // the invalidations ran as the units' hooks
  EXPECT_EQ(caches.clients_changed, (std::vector<std::string>{id, id, id}));
}

}  // namespace
}  // namespace onboard::usecases
