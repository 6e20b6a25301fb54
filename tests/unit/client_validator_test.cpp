#include "client_validator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto.hpp"
#include "error.hpp"
#include "metadata_fixtures.hpp"

namespace onboard::domain {
namespace {

using ValidatorProblems = std::vector<std::pair<std::string, std::string>>;

constexpr Environment kTest = Environment::kTest;
constexpr Environment kProd = Environment::kProduction;

// A base64url modulus of exactly `bits` bits (top bit set, odd).
std::string Modulus(std::size_t bits) {
  std::string bytes((bits + 7) / 8, '\x5A');
  const std::size_t top_bits = bits % 8 == 0 ? 8 : bits % 8;
  bytes[0] = static_cast<char>(1u << (top_bits - 1));
  bytes.back() = '\x5B';
  return crypto::Base64UrlEncode(bytes);
}

Jwk Key(std::string kid) {
  Jwk jwk;
  jwk.kty = "RSA";
  jwk.alg = "RS256";
  jwk.use = "sig";
  jwk.kid = std::move(kid);
  jwk.e = "AQAB";
  jwk.n = Modulus(2048);
  return jwk;
}

ClientMetadata WebClient(IntegrationType type = IntegrationType::kIdporten) {
  return testing::WebClientMetadata("974760673", type);
}

ClientMetadata NativeClient() {
  auto m = WebClient();
  m.application_type = ApplicationType::kNative;
  m.token_endpoint_auth_method = AuthMethod::kNone;
  return m;
}

ClientMetadata MachineClient(IntegrationType type = IntegrationType::kMaskinporten) {
  ClientMetadata m;
  m.client_name = "Fagsystem";
  m.integration_type = type;
  m.application_type = ApplicationType::kWeb;
  m.token_endpoint_auth_method = AuthMethod::kPrivateKeyJwt;
  m.grant_types = {std::string(kGrantJwtBearer)};
  m.scopes = {type == IntegrationType::kMaskinporten ? "skatteetaten:mvameldingvalidering"
              : type == IntegrationType::kKrr        ? "krr:global/kontaktinformasjon.read"
                                                     : "move/dpo.read"};
  m.client_orgno = "974760673";
  return m;
}

ValidatorProblems Check(const ClientMetadata& m, Environment env = kTest,
                        const ScopeCatalogue& catalogue = ScopeCatalogue::Default()) {
  ValidatorProblems problems;
  for (const auto& f : ValidateClientMetadata(m, env, catalogue)) {
    EXPECT_FALSE(f.message.empty()) << f.path << " " << f.code;
    problems.emplace_back(f.path, f.code);
  }
  return problems;
}

ValidatorProblems One(std::string path, std::string code) {
  return {{std::move(path), std::move(code)}};
}

const ValidatorProblems kNone;

// A redirect URI's problems for `m` with only that URI replaced.
ValidatorProblems RedirectProblems(ClientMetadata m, std::string uri, Environment env) {
  m.redirect_uris = {std::move(uri)};
  return Check(m, env);
}

OnBehalfOf Customer(std::string value) {
  return OnBehalfOf{std::move(value), "Kunde AS", "991825827", "https://kunde.example.no"};
}

// The rules one change to a valid client shows. Each row is the test ClientValidator.<test>:
// `client` changed by `change`, validated in `env`, has exactly the problems `expected`.
struct MetadataRule {
  const char* test;
  ClientMetadata client;
  void (*change)(ClientMetadata&);
  Environment env;
  ValidatorProblems expected;
};

const MetadataRule kMetadataRules[] = {
    {"RejectsAuthMethodNoneForWebClients", WebClient(),
     [](ClientMetadata& m) { m.token_endpoint_auth_method = AuthMethod::kNone; }, kTest,
     One("token_endpoint_auth_method", "auth_method_not_allowed")},
    {"AcceptsRefreshTokenAlongsideAuthorizationCode", WebClient(),
     [](ClientMetadata& m) {
       m.grant_types = {"authorization_code", "refresh_token"};
     },
     kTest, kNone},
    {"RejectsImplicitPasswordAndClientCredentialsGrants", WebClient(),
     [](ClientMetadata& m) {
       m.grant_types = {"authorization_code", "implicit", "password", "client_credentials"};
     },
     kTest,
     ValidatorProblems{{"grant_types/1", "grant_type_forbidden"},
                       {"grant_types/2", "grant_type_forbidden"},
                       {"grant_types/3", "grant_type_forbidden"}}},
    {"RejectsUnknownGrantTypes", WebClient(),
     [](ClientMetadata& m) {
       m.grant_types = {"authorization_code", "urn:ietf:params:oauth:grant-type:device_code"};
     },
     kTest, One("grant_types/1", "unsupported_grant_type")},
    {"RejectsRefreshTokenWithoutAuthorizationCode", WebClient(),
     [](ClientMetadata& m) { m.grant_types = {"refresh_token"}; }, kTest,
     One("grant_types/0", "refresh_token_requires_authorization_code")},
    {"RejectsTheJwtBearerGrantForUserFacingClients", WebClient(),
     [](ClientMetadata& m) {
       m.grant_types = {"authorization_code", std::string(kGrantJwtBearer)};
     },
     kTest, One("grant_types/1", "grant_type_not_allowed")},
    {"RequiresAuthorizationCodeForUserFacingClients", WebClient(IntegrationType::kApiKlient),
     [](ClientMetadata& m) { m.grant_types = {std::string(kGrantJwtBearer)}; }, kTest,
     ValidatorProblems{{"grant_types/0", "grant_type_not_allowed"},
                       {"grant_types", "authorization_code_required"}}},
    {"RejectsUserGrantsForMachineClients", MachineClient(),
     [](ClientMetadata& m) {
       m.grant_types = {std::string(kGrantJwtBearer), "authorization_code", "refresh_token"};
     },
     kTest,
     ValidatorProblems{{"grant_types/1", "grant_type_not_allowed"},
                       {"grant_types/2", "grant_type_not_allowed"}}},
    {"RequiresTheJwtBearerGrantForMachineClients", MachineClient(IntegrationType::kEformidling),
     [](ClientMetadata& m) { m.grant_types = {"authorization_code"}; }, kTest,
     ValidatorProblems{{"grant_types/0", "grant_type_not_allowed"},
                       {"grant_types", "jwt_bearer_required"}}},
    {"RequiresAtLeastOneGrantType", WebClient(), [](ClientMetadata& m) { m.grant_types.clear(); },
     kTest, One("grant_types", "required")},
    {"RejectsDuplicateGrantTypes", WebClient(),
     [](ClientMetadata& m) {
       m.grant_types = {"authorization_code", "authorization_code"};
     },
     kTest, One("grant_types/1", "duplicate_value")},
    {"AcceptsAnApiClientWithoutOpenid", WebClient(IntegrationType::kApiKlient),
     [](ClientMetadata& m) {
       m.scopes = {"nav:aareg/v1/arbeidsforhold"};
       m.post_logout_redirect_uris.clear();
     },
     kTest, kNone},
    {"RequiresAtLeastOneScope", MachineClient(), [](ClientMetadata& m) { m.scopes.clear(); }, kTest,
     One("scopes", "required")},
    {"RejectsScopesThatAreNotScopeTokens", WebClient(),
     [](ClientMetadata& m) {
       m.scopes = {"openid", "open id", ""};
     },
     kTest, ValidatorProblems{{"scopes/1", "invalid_scope"}, {"scopes/2", "invalid_scope"}}},
    {"RejectsDuplicateScopes", WebClient(),
     [](ClientMetadata& m) {
       m.scopes = {"openid", "profile", "openid"};
     },
     kTest, One("scopes/2", "duplicate_value")},
    {"RejectsRedirectsAndLogoutUrisOnMachineClients", MachineClient(),
     [](ClientMetadata& m) {
       m.redirect_uris = {"https://a.example.no/cb"};
       m.post_logout_redirect_uris = {"https://a.example.no/out"};
       m.frontchannel_logout_uri = "https://a.example.no/fc";
     },
     kTest,
     ValidatorProblems{{"redirect_uris", "not_allowed_for_integration_type"},
                       {"post_logout_redirect_uris", "not_allowed_for_integration_type"},
                       {"frontchannel_logout_uri", "not_allowed_for_integration_type"}}},
    {"RejectsDuplicateRedirectUris", WebClient(),
     [](ClientMetadata& m) {
       m.redirect_uris = {"https://app.example.no/cb", "https://app.example.no/cb"};
     },
     kTest, One("redirect_uris/1", "duplicate_value")},
    {"AcceptsFrontchannelLogoutOnTheHostOfARedirectUri", WebClient(),
     [](ClientMetadata& m) {
       m.redirect_uris = {"https://other.example.no/cb", "https://APP.example.no/cb"};
       m.frontchannel_logout_uri = "https://app.example.no/frontchannel";
       m.frontchannel_logout_session_required = true;
     },
     kProd, kNone},
    {"RejectsFrontchannelLogoutOnAnotherHost", WebClient(),
     [](ClientMetadata& m) { m.frontchannel_logout_uri = "https://evil.example.no/frontchannel"; },
     kTest, One("frontchannel_logout_uri", "frontchannel_logout_host_mismatch")},
    {"IgnoresCustomSchemeRedirectsWhenMatchingTheFrontchannelHost", NativeClient(),
     [](ClientMetadata& m) {
       m.redirect_uris = {"no.example.app://callback"};
       m.frontchannel_logout_uri = "https://callback/frontchannel";
     },
     kTest, One("frontchannel_logout_uri", "frontchannel_logout_host_mismatch")},
    {"RejectsFrontchannelSessionRequiredWithoutAFrontchannelUri", WebClient(),
     [](ClientMetadata& m) { m.frontchannel_logout_session_required = true; }, kTest,
     One("frontchannel_logout_session_required", "requires_frontchannel_logout_uri")},
    {"RejectsLifetimesThatAreNotPositive", WebClient(),
     [](ClientMetadata& m) {
       m.access_token_lifetime = 0;
       m.refresh_token_lifetime = -1;
       m.authorization_lifetime = 0;
     },
     kTest,
     ValidatorProblems{{"access_token_lifetime", "lifetime_not_positive"},
                       {"refresh_token_lifetime", "lifetime_not_positive"},
                       {"authorization_lifetime", "lifetime_not_positive"}}},
    {"RejectsAnAccessTokenLifetimeNotBelowTheRefreshTokenLifetime", WebClient(),
     [](ClientMetadata& m) { m.access_token_lifetime = 600; }, kTest,
     One("access_token_lifetime", "access_lifetime_not_below_refresh")},
    {"RejectsARefreshTokenLifetimeBeyondTheAuthorizationLifetime", WebClient(),
     [](ClientMetadata& m) { m.refresh_token_lifetime = 7201; }, kTest,
     One("refresh_token_lifetime", "refresh_lifetime_exceeds_authorization")},
    {"RequiresAClientOrgno", WebClient(), [](ClientMetadata& m) { m.client_orgno.clear(); }, kTest,
     One("client_orgno", "required")},
    {"RequiresANonBlankClientName", WebClient(), [](ClientMetadata& m) { m.client_name = " \t"; },
     kTest, One("client_name", "required")},
    {"RejectsABlankDisplayName", WebClient(), [](ClientMetadata& m) { m.display_name = "  "; },
     kTest, One("display_name", "blank")},
    {"AcceptsAWellFormedRsaSigningKey", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("key-1.a_B")};
       m.jwks[0].alg = "RS512";
       m.jwks[0].x5c = std::vector<std::string>{"MIIBCgKCAQEA+w==", "AAAA"};
     },
     kTest, kNone},
    {"RequiresTheRsaKeyMembers", MachineClient(), [](ClientMetadata& m) { m.jwks = {Jwk{}}; },
     kTest,
     ValidatorProblems{{"jwks/0/kty", "required"},
                       {"jwks/0/alg", "required"},
                       {"jwks/0/use", "required"},
                       {"jwks/0/n", "required"},
                       {"jwks/0/e", "required"}}},
    {"RejectsNonRsaKeysWeakAlgorithmsAndEncryptionKeys", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("a")};
       m.jwks[0].kty = "EC";
       m.jwks[0].alg = "HS256";
       m.jwks[0].use = "enc";
     },
     kTest,
     ValidatorProblems{{"jwks/0/kty", "unsupported_kty"},
                       {"jwks/0/alg", "unsupported_alg"},
                       {"jwks/0/use", "unsupported_use"}}},
    {"RejectsKidsOutsideTheAllowedCharacters", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("my key"), Key(""), Key("nøkkel"), Key(std::string(101, 'k'))};
     },
     kTest,
     ValidatorProblems{{"jwks/0/kid", "invalid_kid"},
                       {"jwks/1/kid", "invalid_kid"},
                       {"jwks/2/kid", "invalid_kid"},
                       {"jwks/3/kid", "invalid_kid"}}},
    {"RejectsDuplicateKids", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("a"), Key("b"), Key("a")};
     },
     kTest, One("jwks/2/kid", "duplicate_kid")},
    {"AcceptsKeysWithoutKid", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("a"), Key("b")};
       m.jwks[0].kid.reset();
       m.jwks[1].kid.reset();
     },
     kTest, kNone},
    {"RejectsModulusAndExponentThatAreNotBase64Url", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("a")};
       m.jwks[0].n = "abc+/def";
       m.jwks[0].e = "A";
     },
     kTest,
     ValidatorProblems{{"jwks/0/n", "invalid_base64url"}, {"jwks/0/e", "invalid_base64url"}}},
    {"RejectsCertificateChainsThatAreNotBase64", MachineClient(),
     [](ClientMetadata& m) {
       m.jwks = {Key("a"), Key("b")};
       m.jwks[0].x5c = std::vector<std::string>{"MIIB", "MII-_w"};
       m.jwks[1].x5c = std::vector<std::string>{};
     },
     kTest, ValidatorProblems{{"jwks/0/x5c/1", "invalid_base64"}, {"jwks/1/x5c", "required"}}},
    {"AcceptsOnBehalfOfRecordsWithUniqueValuesAndValidOrgnos", WebClient(),
     [](ClientMetadata& m) {
       m.supplier_orgno = "991825827";
       m.onbehalfof = {Customer("kunde-1"), Customer("kunde.2")};
       m.onbehalfof[1].url.reset();
     },
     kProd, kNone},
    {"RejectsInvalidOnBehalfOfRecords", WebClient(),
     [](ClientMetadata& m) {
       m.onbehalfof = {Customer("a"), Customer("a"), Customer("b c"), OnBehalfOf{}};
       m.onbehalfof[0].orgno = "123456789";
       m.onbehalfof[0].url = "http://kunde.example.no";
     },
     kProd,
     ValidatorProblems{{"onbehalfof/0/orgno", "invalid_orgno"},
                       {"onbehalfof/0/url", "https_required"},
                       {"onbehalfof/1/onbehalfof", "duplicate_value"},
                       {"onbehalfof/2/onbehalfof", "invalid_onbehalfof"},
                       {"onbehalfof/3/onbehalfof", "required"},
                       {"onbehalfof/3/display_name", "required"},
                       {"onbehalfof/3/orgno", "required"}}},
    {"RejectsOnBehalfOfOnMachineClients", MachineClient(),
     [](ClientMetadata& m) { m.onbehalfof = {Customer("a")}; }, kTest,
     One("onbehalfof", "not_allowed_for_integration_type")},
    {"AcceptsPlainEmailContacts", WebClient(),
     [](ClientMetadata& m) {
       m.contacts = {"drift@kommune.example.no", "first.last+tag@sub.example.com"};
     },
     kTest, kNone},
    {"RejectsDuplicateContactsIgnoringCase", WebClient(),
     [](ClientMetadata& m) {
       m.contacts = {"drift@example.no", "DRIFT@example.no"};
     },
     kTest, One("contacts/1", "duplicate_value")},
    {"ReportsEveryViolationAtOnce", WebClient(),
     [](ClientMetadata& m) {
       m.client_orgno = "1";
       m.scopes = {"profile"};
       m.redirect_uris = {"http://localhost/cb"};
       m.access_token_lifetime = 0;
     },
     kProd,
     ValidatorProblems{{"scopes", "openid_scope_required"},
                       {"redirect_uris/0", "localhost_not_allowed"},
                       {"access_token_lifetime", "lifetime_not_positive"},
                       {"client_orgno", "invalid_orgno"}}},
};

class MetadataRuleTest : public ::testing::Test {
 public:
  explicit MetadataRuleTest(const MetadataRule& rule) : rule_(rule) {}
  void TestBody() override {
    ClientMetadata m = rule_.client;
    rule_.change(m);
    EXPECT_EQ(Check(m, rule_.env), rule_.expected) << rule_.test;
  }

 private:
  const MetadataRule& rule_;
};

// One test per row, registered here, before the suite's TESTs.
[[maybe_unused]] const bool kMetadataRulesRegistered = [] {
  for (const MetadataRule& rule : kMetadataRules) {
    ::testing::RegisterTest("ClientValidator", rule.test, nullptr, nullptr, __FILE__, __LINE__,
                            [&rule]() -> ::testing::Test* { return new MetadataRuleTest(rule); });
  }
  return true;
}();

TEST(ClientValidator, AcceptsAMinimalIdportenWebClientInBothEnvironments) {
  EXPECT_EQ(Check(WebClient(), kTest), kNone);
  EXPECT_EQ(Check(WebClient(), kProd), kNone);
}

TEST(ClientValidator, AcceptsMachineClientsOfEveryMachineIntegrationType) {
  for (auto type :
       {IntegrationType::kMaskinporten, IntegrationType::kKrr, IntegrationType::kEformidling}) {
    EXPECT_EQ(Check(MachineClient(type), kProd), kNone) << ToString(type);
  }
}

TEST(ClientValidator, AcceptsEverySecretOrKeyMethodForUserFacingWebClients) {
  for (auto type :
       {IntegrationType::kIdporten, IntegrationType::kAnsattporten, IntegrationType::kApiKlient}) {
    for (auto auth : {AuthMethod::kClientSecretBasic, AuthMethod::kClientSecretPost,
                      AuthMethod::kPrivateKeyJwt}) {
      auto m = WebClient(type);
      m.token_endpoint_auth_method = auth;
      EXPECT_EQ(Check(m), kNone) << ToString(type) << " " << ToString(auth);
    }
  }
}

TEST(ClientValidator, AcceptsAuthMethodNoneForBrowserAndNativeClients) {
  for (auto app : {ApplicationType::kBrowser, ApplicationType::kNative}) {
    auto m = WebClient();
    m.application_type = app;
    m.token_endpoint_auth_method = AuthMethod::kNone;
    EXPECT_EQ(Check(m), kNone) << ToString(app);
  }
}

TEST(ClientValidator, RejectsSecretsAndKeysForBrowserAndNativeClients) {
  for (auto app : {ApplicationType::kBrowser, ApplicationType::kNative}) {
    for (auto auth : {AuthMethod::kClientSecretBasic, AuthMethod::kClientSecretPost,
                      AuthMethod::kPrivateKeyJwt}) {
      auto m = WebClient(IntegrationType::kAnsattporten);
      m.application_type = app;
      m.token_endpoint_auth_method = auth;
      EXPECT_EQ(Check(m), One("token_endpoint_auth_method", "auth_method_not_allowed"))
          << ToString(app) << " " << ToString(auth);
    }
  }
}

TEST(ClientValidator, RejectsNonWebApplicationTypesForMachineClients) {
  for (auto type :
       {IntegrationType::kMaskinporten, IntegrationType::kKrr, IntegrationType::kEformidling}) {
    auto m = MachineClient(type);
    m.application_type = ApplicationType::kNative;
    EXPECT_EQ(Check(m), One("application_type", "application_type_not_allowed"));
  }
}

TEST(ClientValidator, RejectsAnythingButPrivateKeyJwtForMachineClients) {
  for (auto auth :
       {AuthMethod::kClientSecretBasic, AuthMethod::kClientSecretPost, AuthMethod::kNone}) {
    auto m = MachineClient(IntegrationType::kKrr);
    m.token_endpoint_auth_method = auth;
    EXPECT_EQ(Check(m), One("token_endpoint_auth_method", "auth_method_not_allowed"));
  }
}

TEST(ClientValidator, RequiresOpenidForLoginClients) {
  for (auto type : {IntegrationType::kIdporten, IntegrationType::kAnsattporten}) {
    auto m = WebClient(type);
    m.scopes = {"profile"};
    EXPECT_EQ(Check(m), One("scopes", "openid_scope_required")) << ToString(type);
  }
}

TEST(ClientValidator, RejectsScopesOutsideTheCatalogueForTheIntegrationType) {
  auto m = WebClient();
  m.scopes = {"openid", "skatteetaten:mvameldingvalidering"};
  EXPECT_EQ(Check(m), One("scopes/1", "scope_not_allowed"));
  auto machine = MachineClient();
  machine.scopes = {"openid"};
  EXPECT_EQ(Check(machine), One("scopes/0", "scope_not_allowed"));
}

TEST(ClientValidator, UsesTheConfiguredCatalogue) {
  ScopeCatalogue catalogue;
  catalogue.Allow(IntegrationType::kMaskinporten, "acme:orders.read");
  auto m = MachineClient();
  m.scopes = {"acme:orders.read"};
  EXPECT_EQ(Check(m, kTest, catalogue), kNone);
  EXPECT_EQ(Check(MachineClient(), kTest, catalogue), One("scopes/0", "scope_not_allowed"));
}

TEST(ClientValidator, AcceptsFiftyScopesAndRejectsFiftyOne) {
  ScopeCatalogue catalogue;
  auto m = MachineClient();
  m.scopes.clear();
  for (int i = 0; i < 51; ++i) {
    const std::string scope = "acme:s" + std::to_string(i);
    catalogue.Allow(IntegrationType::kMaskinporten, scope);
    m.scopes.push_back(scope);
  }
  EXPECT_EQ(Check(m, kTest, catalogue), One("scopes", "too_many_items"));
  m.scopes.pop_back();
  EXPECT_EQ(Check(m, kTest, catalogue), kNone);
}

TEST(ClientValidator, RequiresRedirectUrisForUserFacingClients) {
  for (auto type :
       {IntegrationType::kIdporten, IntegrationType::kAnsattporten, IntegrationType::kApiKlient}) {
    auto m = WebClient(type);
    m.redirect_uris.clear();
    EXPECT_EQ(Check(m), One("redirect_uris", "required")) << ToString(type);
  }
}

TEST(ClientValidator, RequiresPostLogoutRedirectUrisForLoginClients) {
  auto m = WebClient(IntegrationType::kAnsattporten);
  m.post_logout_redirect_uris.clear();
  EXPECT_EQ(Check(m), One("post_logout_redirect_uris", "required"));
  auto api = WebClient(IntegrationType::kApiKlient);
  api.post_logout_redirect_uris.clear();
  EXPECT_EQ(Check(api), kNone);
}

TEST(ClientValidator, AcceptsTwentyRedirectUrisAndRejectsTwentyOne) {
  auto m = WebClient();
  m.redirect_uris.clear();
  m.post_logout_redirect_uris.clear();
  for (int i = 0; i < 21; ++i) {
    m.redirect_uris.push_back("https://app.example.no/cb" + std::to_string(i));
    m.post_logout_redirect_uris.push_back("https://app.example.no/out" + std::to_string(i));
  }
  EXPECT_EQ(Check(m), (ValidatorProblems{{"redirect_uris", "too_many_items"},
                                         {"post_logout_redirect_uris", "too_many_items"}}));
  m.redirect_uris.pop_back();
  m.post_logout_redirect_uris.pop_back();
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, AcceptsA2000CharacterUriAndRejectsALongerOne) {
  const std::string base = "https://app.example.no/";
  const std::string exact = base + std::string(kMaxUriLength - base.size(), 'a');
  EXPECT_EQ(RedirectProblems(WebClient(), exact, kProd), kNone);
  EXPECT_EQ(RedirectProblems(WebClient(), exact + "a", kProd), One("redirect_uris/0", "too_long"));
}

// The redirect URI rules, one row a group of URIs that each, as the only redirect URI of the
// client in the environment, give the same answer: none, or one problem at redirect_uris/0
// with `code`. Consecutive rows of one name are one test, ClientValidator.<name>; a failure
// names the URI.
struct RedirectRule {
  const char* test;
  ClientMetadata client;
  Environment env;
  std::vector<std::string> uris;
  const char* code;  ///< nullptr: accepted
};

const RedirectRule kRedirectRules[] = {
    {"RejectsRelativeRedirectUris",
     WebClient(),
     kTest,
     {"/callback", "app.example.no/callback", "//app.example.no/cb"},
     "uri_not_absolute"},
    {"RejectsRedirectUrisWithAFragment",
     WebClient(),
     kTest,
     {"https://app.example.no/cb#x", "https://app.example.no/cb#"},
     "uri_fragment_not_allowed"},
    {"RejectsWildcardsInRedirectUris",
     WebClient(),
     kTest,
     {"https://*.example.no/cb", "https://app.example.no/*"},
     "uri_wildcard_not_allowed"},
    {"RejectsUserinfoInRedirectUris",
     WebClient(),
     kTest,
     {"https://user:pw@app.example.no/cb"},
     "uri_userinfo_not_allowed"},
    {"RejectsRedirectUrisThatAreNotValidUriSyntax",
     WebClient(),
     kTest,
     {"", "https://app.example.no/a b", "https://app.example.no/%zz",
      "https://app.example.no:99999/", "https://app.example.no:/", "https:///cb", "https:/cb",
      "https://app..example.no/", "https://app.example.no/\xC3\xA6", "https://[::1/cb",
      "https://app.example.no/[x]", "ht^tp://app.example.no/", "https://-app.example.no/",
      "https://app_1.example.no/"},
     "invalid_uri"},
    {"AcceptsQueriesPortsAndUpperCaseSchemes",
     WebClient(),
     kProd,
     {"HTTPS://App.Example.no:8443/cb?x=1&y=%20"},
     nullptr},
    {"AcceptsPlainHttpAndLocalhostInTest",
     WebClient(),
     kTest,
     {"http://app.example.no/cb", "http://localhost:8080/cb", "http://127.0.0.1/cb",
      "http://[::1]:3000/cb", "http://dev.localhost/cb"},
     nullptr},
    {"RequiresHttpForLocalhostInTest",
     WebClient(),
     kTest,
     {"https://localhost/cb", "https://127.0.0.1:8443/cb", "https://[::1]/cb"},
     "localhost_requires_http"},
    {"RequiresHttpsInProduction",
     WebClient(),
     kProd,
     {"http://app.example.no/cb"},
     "https_required"},
    {"RequiresHttpsInProduction",
     NativeClient(),
     kProd,
     {"http://app.example.no/cb"},
     "https_required"},
    {"RejectsLocalhostRedirectInProduction",
     WebClient(),
     kProd,
     {"http://localhost/cb", "https://localhost/cb", "http://127.0.0.1/cb",
      "http://127.1.2.3:80/cb", "http://[::1]/cb", "https://a.localhost/cb",
      "https://[::ffff:127.0.0.1]/cb", "http://[0:0:0:0:0:0:0:1]/cb"},
     "localhost_not_allowed"},
    {"AcceptsNativeLoopbackRedirectWithAnyPortInProduction",
     NativeClient(),
     kProd,
     {"http://127.0.0.1:0/callback", "http://127.0.0.1:51234/callback", "http://127.0.0.1/callback",
      "http://[::1]:8080/callback", "http://[0:0::1]:8080/callback"},
     nullptr},
    {"RejectsOtherLoopbackAddressesForNativeClientsInProduction",
     NativeClient(),
     kProd,
     {"http://127.0.0.2/callback", "http://[::ffff:127.0.0.1]/callback"},
     "localhost_not_allowed"},
    {"AcceptsIpAddressHostsOutsideLoopback",
     WebClient(),
     kProd,
     {"https://192.0.2.10/cb", "https://[2001:db8::10]:8443/cb"},
     nullptr},
    {"RejectsNativeLoopbackByNameOrOverHttpsInProduction",
     NativeClient(),
     kProd,
     {"http://localhost:8080/callback"},
     "localhost_not_allowed"},
    {"RejectsNativeLoopbackByNameOrOverHttpsInProduction",
     NativeClient(),
     kProd,
     {"https://127.0.0.1:8080/callback"},
     "localhost_requires_http"},
    {"AcceptsReverseDomainCustomSchemesForNativeClients",
     NativeClient(),
     kTest,
     {"com.example.app:/callback", "no.kommune.minside://callback"},
     nullptr},
    {"AcceptsReverseDomainCustomSchemesForNativeClients",
     NativeClient(),
     kProd,
     {"com.example.app:/callback", "no.kommune.minside://callback"},
     nullptr},
    {"RejectsCustomSchemesForWebClientsAndBareSchemesForNativeClients",
     WebClient(),
     kTest,
     {"com.example.app:/callback"},
     "scheme_not_allowed"},
    {"RejectsCustomSchemesForWebClientsAndBareSchemesForNativeClients",
     NativeClient(),
     kTest,
     {"myapp:/callback", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"},
     "scheme_not_allowed"},
};

class RedirectRuleTest : public ::testing::Test {
 public:
  explicit RedirectRuleTest(std::vector<const RedirectRule*> rows) : rows_(std::move(rows)) {}
  void TestBody() override {
    for (const RedirectRule* row : rows_) {
      const ValidatorProblems expected =
          row->code == nullptr ? kNone : One("redirect_uris/0", row->code);
      for (const std::string& uri : row->uris) {
        EXPECT_EQ(RedirectProblems(row->client, uri, row->env), expected) << uri;
      }
    }
  }

 private:
  std::vector<const RedirectRule*> rows_;
};

// Registers one test per run of rows of the same name, here among the suite's TESTs.
[[maybe_unused]] const bool kRedirectRulesRegistered = [] {
  for (std::size_t i = 0; i < std::size(kRedirectRules);) {
    std::vector<const RedirectRule*> rows;
    const char* test = kRedirectRules[i].test;
    while (i < std::size(kRedirectRules) && std::string(kRedirectRules[i].test) == test) {
      rows.push_back(&kRedirectRules[i++]);
    }
    ::testing::RegisterTest("ClientValidator", test, nullptr, nullptr, __FILE__, __LINE__,
                            [rows]() -> ::testing::Test* { return new RedirectRuleTest(rows); });
  }
  return true;
}();

TEST(ClientValidator, AppliesTheSameUriRulesToPostLogoutRedirectUris) {
  auto m = WebClient();
  m.post_logout_redirect_uris = {"https://app.example.no/out", "http://app.example.no/out",
                                 "https://app.example.no/out#x", "https://app.example.no/out"};
  EXPECT_EQ(Check(m, kProd),
            (ValidatorProblems{{"post_logout_redirect_uris/1", "https_required"},
                               {"post_logout_redirect_uris/2", "uri_fragment_not_allowed"},
                               {"post_logout_redirect_uris/3", "duplicate_value"}}));
}

TEST(ClientValidator, AppliesEnvironmentUriRulesToFrontchannelLogout) {
  auto m = WebClient();
  m.frontchannel_logout_uri = "http://app.example.no/frontchannel";
  EXPECT_EQ(Check(m, kTest), kNone);
  EXPECT_EQ(Check(m, kProd), One("frontchannel_logout_uri", "https_required"));
  auto native = NativeClient();
  native.redirect_uris = {"com.example.app:/cb"};
  native.frontchannel_logout_uri = "com.example.app:/fc";
  EXPECT_EQ(Check(native), One("frontchannel_logout_uri", "scheme_not_allowed"));
}

TEST(ClientValidator, AppliesUriRulesToClientAndLogoUris) {
  auto m = WebClient();
  m.client_uri = "https://app.example.no";
  m.logo_uri = "https://app.example.no/logo.png";
  EXPECT_EQ(Check(m, kProd), kNone);
  m.client_uri = "http://app.example.no";
  m.logo_uri = "https://app.example.no/logo.png#top";
  EXPECT_EQ(Check(m, kProd), (ValidatorProblems{{"client_uri", "https_required"},
                                                {"logo_uri", "uri_fragment_not_allowed"}}));
}

TEST(ClientValidator, AcceptsTheDefaultLifetimesAndEqualRefreshAndAuthorization) {
  auto m = WebClient();
  EXPECT_EQ(Check(m), kNone);
  m.refresh_token_lifetime = m.authorization_lifetime;
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, RejectsOrgnosThatFailTheCheckDigit) {
  auto m = WebClient();
  m.client_orgno = "974760674";
  m.supplier_orgno = "99182582";
  EXPECT_EQ(Check(m), (ValidatorProblems{{"client_orgno", "invalid_orgno"},
                                         {"supplier_orgno", "invalid_orgno"}}));
  m.client_orgno = "974760673";
  m.supplier_orgno = "991825827";
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, CountsNameLengthInCodePoints) {
  auto m = WebClient();
  std::string name;
  for (std::size_t i = 0; i < kMaxNameLength; ++i) name += "\u00F8";
  m.client_name = name;
  m.display_name = name;
  EXPECT_EQ(Check(m), kNone);
  m.client_name += "x";
  m.display_name = *m.display_name + "x";
  EXPECT_EQ(Check(m),
            (ValidatorProblems{{"client_name", "too_long"}, {"display_name", "too_long"}}));
}

TEST(ClientValidator, AcceptsA2000CharacterDescriptionAndRejectsALongerOne) {
  auto m = WebClient();
  m.description = std::string(kMaxDescriptionLength, 'd');
  EXPECT_EQ(Check(m), kNone);
  *m.description += "d";
  EXPECT_EQ(Check(m), One("description", "too_long"));
}

TEST(ClientValidator, AcceptsFiveKeysAndRejectsSix) {
  auto m = MachineClient();
  for (int i = 0; i < 6; ++i) m.jwks.push_back(Key("k" + std::to_string(i)));
  EXPECT_EQ(Check(m), One("jwks", "too_many_items"));
  m.jwks.pop_back();
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, AcceptsA2048BitModulusAndRejectsA2047BitOne) {
  auto m = MachineClient();
  m.jwks = {Key("a")};
  m.jwks[0].n = Modulus(2048);
  EXPECT_EQ(Check(m), kNone);
  m.jwks[0].n = Modulus(2047);
  EXPECT_EQ(Check(m), One("jwks/0/n", "key_too_short"));
  m.jwks[0].n =
      crypto::Base64UrlEncode(std::string(1, '\0') + crypto::Base64UrlDecode(Modulus(1024)));
  EXPECT_EQ(Check(m), One("jwks/0/n", "key_too_short"));
}

TEST(ClientValidator, RejectsUnusableExponents) {
  auto m = MachineClient();
  m.jwks = {Key("a"), Key("b"), Key("c")};
  m.jwks[0].e = crypto::Base64UrlEncode("\x01\x00\x00");  // even
  m.jwks[1].e = crypto::Base64UrlEncode("\x01");          // 1
  m.jwks[2].e = "Aw";                                     // 3 is acceptable
  EXPECT_EQ(Check(m), (ValidatorProblems{{"jwks/0/e", "invalid_exponent"},
                                         {"jwks/1/e", "invalid_exponent"}}));
}

TEST(ClientValidator, AcceptsTenCertificatesInAChainAndRejectsEleven) {
  auto m = MachineClient();
  m.jwks = {Key("a")};
  m.jwks[0].x5c = std::vector<std::string>(kMaxX5cCertificates + 1, "MIIB");
  EXPECT_EQ(Check(m), One("jwks/0/x5c", "too_many_items"));
  m.jwks[0].x5c->pop_back();
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, AcceptsTenOnBehalfOfRecordsAndRejectsEleven) {
  auto m = WebClient();
  for (int i = 0; i < 11; ++i) m.onbehalfof.push_back(Customer("k" + std::to_string(i)));
  EXPECT_EQ(Check(m), One("onbehalfof", "too_many_items"));
  m.onbehalfof.pop_back();
  EXPECT_EQ(Check(m), kNone);
}

TEST(ClientValidator, RejectsOnBehalfOfDisplayNamesLongerThan200Characters) {
  auto m = WebClient();
  m.onbehalfof = {Customer("a")};
  m.onbehalfof[0].display_name = std::string(kMaxNameLength, 'n');
  EXPECT_EQ(Check(m), kNone);
  m.onbehalfof[0].display_name += "n";
  EXPECT_EQ(Check(m), One("onbehalfof/0/display_name", "too_long"));
}

TEST(ClientValidator, RejectsContactsThatAreNotEmailAddresses) {
  auto m = WebClient();
  m.contacts = {"drift",          "a@b",
                "@example.no",    "a..b@example.no",
                "a@example..no",  "a b@example.no",
                "a@b@example.no", "Drift <drift@example.no>"};
  ValidatorProblems expected;
  for (std::size_t i = 0; i < m.contacts.size(); ++i) {
    expected.emplace_back("contacts/" + std::to_string(i), "invalid_email");
  }
  EXPECT_EQ(Check(m), expected);
}

TEST(ClientValidator, AcceptsTenContactsAndRejectsEleven) {
  auto m = WebClient();
  for (int i = 0; i < 11; ++i) m.contacts.push_back("p" + std::to_string(i) + "@example.no");
  EXPECT_EQ(Check(m), One("contacts", "too_many_items"));
  m.contacts.pop_back();
  EXPECT_EQ(Check(m), kNone);
}

TEST(EnsureValidClientMetadata, ThrowsAValidationErrorCarryingTheFieldErrors) {
  auto m = WebClient();
  m.redirect_uris = {"http://app.example.no/cb"};
  try {
    EnsureValidClientMetadata(m, kProd, ScopeCatalogue::Default());
    FAIL() << "expected AppError";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    ASSERT_EQ(e.field_errors().size(), 1u);
    EXPECT_EQ(e.field_errors()[0].path, "redirect_uris/0");
    EXPECT_EQ(e.field_errors()[0].code, "https_required");
  }
}

TEST(EnsureValidClientMetadata, ReturnsQuietlyForValidMetadata) {
  EXPECT_NO_THROW(EnsureValidClientMetadata(WebClient(), kProd, ScopeCatalogue::Default()));
}

}  // namespace
}  // namespace onboard::domain
