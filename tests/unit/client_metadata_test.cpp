#include "client_metadata.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "client_metadata_json.hpp"
#include "error.hpp"
#include "scope_catalogue.hpp"

namespace onboard::domain {
namespace {

using Problems = std::vector<std::pair<std::string, std::string>>;

Poco::JSON::Object::Ptr ParseJson(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

ClientMetadata Parse(const std::string& json, const ParseOptions& options = {}) {
  return ParseClientMetadata(*ParseJson(json), options);
}

// The (path, code) pairs of the AppError that parsing throws; fails the test if it
// does not throw.
Problems ProblemsOf(const Poco::JSON::Object& obj, const ParseOptions& options = {}) {
  try {
    ParseClientMetadata(obj, options);
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    Problems problems;
    for (const auto& f : e.field_errors()) problems.emplace_back(f.path, f.code);
    return problems;
  }
  ADD_FAILURE() << "expected ParseClientMetadata to throw";
  return {};
}

Problems ProblemsOf(const std::string& json, const ParseOptions& options = {}) {
  return ProblemsOf(*ParseJson(json), options);
}

const std::string kMinimal = R"({"integration_type":"idporten","client_name":"Kommune",)"
                             R"("client_orgno":"974760673"})";

std::string With(const std::string& members) {
  return R"({"integration_type":"idporten","client_orgno":"974760673",)" + members + "}";
}

TEST(Enums, ConvertEveryValueToItsWireNameAndBack) {
  for (auto v :
       {IntegrationType::kIdporten, IntegrationType::kApiKlient, IntegrationType::kAnsattporten,
        IntegrationType::kMaskinporten, IntegrationType::kKrr, IntegrationType::kEformidling}) {
    EXPECT_EQ(IntegrationTypeFromString(ToString(v)), v);
  }
  for (auto v : {ApplicationType::kWeb, ApplicationType::kBrowser, ApplicationType::kNative}) {
    EXPECT_EQ(ApplicationTypeFromString(ToString(v)), v);
  }
  for (auto v : {AuthMethod::kClientSecretBasic, AuthMethod::kClientSecretPost,
                 AuthMethod::kPrivateKeyJwt, AuthMethod::kNone}) {
    EXPECT_EQ(AuthMethodFromString(ToString(v)), v);
  }
  for (auto v : {RefreshTokenUsage::kOnetime, RefreshTokenUsage::kReuse}) {
    EXPECT_EQ(RefreshTokenUsageFromString(ToString(v)), v);
  }
  for (auto v : {Environment::kTest, Environment::kProduction}) {
    EXPECT_EQ(EnvironmentFromString(ToString(v)), v);
  }
}

TEST(Enums, UseTheProvidersExactWireNames) {
  EXPECT_EQ(ToString(IntegrationType::kApiKlient), "api_klient");
  EXPECT_EQ(ToString(IntegrationType::kEformidling), "eformidling");
  EXPECT_EQ(ToString(AuthMethod::kClientSecretBasic), "client_secret_basic");
  EXPECT_EQ(ToString(AuthMethod::kPrivateKeyJwt), "private_key_jwt");
  EXPECT_EQ(ToString(RefreshTokenUsage::kOnetime), "ONETIME");
  EXPECT_EQ(ToString(ApplicationType::kBrowser), "browser");
}

TEST(Enums, RejectUnknownOrDifferentlyCasedNames) {
  EXPECT_FALSE(IntegrationTypeFromString("IDPORTEN"));
  EXPECT_FALSE(IntegrationTypeFromString("api-klient"));
  EXPECT_FALSE(RefreshTokenUsageFromString("onetime"));
  EXPECT_FALSE(AuthMethodFromString(""));
  EXPECT_FALSE(ApplicationTypeFromString("web "));
}

TEST(Utf8, AcceptsWellFormedTextAndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("Bærum kommune \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints("Ås"), 2u);
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);
}

TEST(ParseClientMetadata, AppliesIdportenDefaultsWhenMembersAreAbsent) {
  const auto m = Parse(kMinimal);
  EXPECT_EQ(m.integration_type, IntegrationType::kIdporten);
  EXPECT_EQ(m.application_type, ApplicationType::kWeb);
  EXPECT_EQ(m.token_endpoint_auth_method, AuthMethod::kClientSecretBasic);
  EXPECT_EQ(m.grant_types, std::vector<std::string>{"authorization_code"});
  EXPECT_EQ(m.scopes, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(m.access_token_lifetime, 120);
  EXPECT_EQ(m.refresh_token_lifetime, 600);
  EXPECT_EQ(m.authorization_lifetime, 7200);
  EXPECT_EQ(m.refresh_token_usage, RefreshTokenUsage::kOnetime);
  EXPECT_FALSE(m.sso_disabled);
  EXPECT_FALSE(m.frontchannel_logout_session_required);
  EXPECT_FALSE(m.description);
  EXPECT_FALSE(m.supplier_orgno);
  EXPECT_TRUE(m.redirect_uris.empty());
}

TEST(ParseClientMetadata, DefaultsBrowserAndNativeClientsToAuthMethodNone) {
  EXPECT_EQ(Parse(With(R"("application_type":"browser")")).token_endpoint_auth_method,
            AuthMethod::kNone);
  EXPECT_EQ(Parse(With(R"("application_type":"native")")).token_endpoint_auth_method,
            AuthMethod::kNone);
}

TEST(ParseClientMetadata, AppliesMachineClientDefaultsForMaskinporten) {
  const auto m = Parse(R"({"integration_type":"maskinporten","client_orgno":"974760673"})");
  EXPECT_EQ(m.token_endpoint_auth_method, AuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(m.grant_types, std::vector<std::string>{"urn:ietf:params:oauth:grant-type:jwt-bearer"});
  EXPECT_TRUE(m.scopes.empty());
}

TEST(ParseClientMetadata, TreatsNullAsAbsent) {
  const auto m = Parse(With(R"("scopes":null,"description":null,"access_token_lifetime":null)"));
  EXPECT_EQ(m.scopes, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_FALSE(m.description);
  EXPECT_EQ(m.access_token_lifetime, 120);
}

TEST(ParseClientMetadata, KeepsAnExplicitEmptyScopeListForTheValidatorToReject) {
  EXPECT_TRUE(Parse(With(R"("scopes":[])")).scopes.empty());
}

TEST(ParseClientMetadata, ReadsEveryMember) {
  const auto m = Parse(R"json({
    "client_name": "Min side", "display_name": "Min side (kommune)",
    "description": "Selvbetjening", "client_uri": "https://kommune.example.no",
    "logo_uri": "https://kommune.example.no/logo.png",
    "integration_type": "idporten", "application_type": "web",
    "token_endpoint_auth_method": "private_key_jwt",
    "grant_types": ["authorization_code", "refresh_token"],
    "scopes": ["openid"], "redirect_uris": ["https://kommune.example.no/cb"],
    "post_logout_redirect_uris": ["https://kommune.example.no/out"],
    "frontchannel_logout_uri": "https://kommune.example.no/fc",
    "frontchannel_logout_session_required": true,
    "access_token_lifetime": 60, "refresh_token_lifetime": 3600,
    "authorization_lifetime": 86400, "refresh_token_usage": "REUSE",
    "client_orgno": "974760673", "supplier_orgno": "991825827", "sso_disabled": true,
    "onbehalfof": [{"onbehalfof": "k1", "display_name": "Kunde", "orgno": "974760673",
                    "url": "https://kunde.example.no"}],
    "jwks": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k-1", "e": "AQAB",
              "n": "AAAA", "x5c": ["MIIB"]}],
    "contacts": ["drift@kommune.example.no"]
  })json");
  EXPECT_EQ(m.display_name, "Min side (kommune)");
  EXPECT_EQ(m.token_endpoint_auth_method, AuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(m.refresh_token_usage, RefreshTokenUsage::kReuse);
  EXPECT_EQ(m.authorization_lifetime, 86400);
  EXPECT_TRUE(m.frontchannel_logout_session_required);
  EXPECT_TRUE(m.sso_disabled);
  EXPECT_EQ(m.supplier_orgno, "991825827");
  ASSERT_EQ(m.onbehalfof.size(), 1u);
  EXPECT_EQ(m.onbehalfof[0].url, "https://kunde.example.no");
  ASSERT_EQ(m.jwks.size(), 1u);
  EXPECT_EQ(m.jwks[0].kid, "k-1");
  EXPECT_EQ(m.jwks[0].x5c, std::vector<std::string>{"MIIB"});
  EXPECT_EQ(m.contacts, std::vector<std::string>{"drift@kommune.example.no"});
}

TEST(ParseClientMetadata, RejectsUnknownTopLevelMembers) {
  EXPECT_EQ(ProblemsOf(With(R"("client_secret":"x","scope":"openid")")),
            (Problems{{"client_secret", "unknown_field"}, {"scope", "unknown_field"}}));
}

TEST(ParseClientMetadata, RejectsUnknownMembersInsideKeysAndOnBehalfOfRecords) {
  EXPECT_EQ(ProblemsOf(With(R"("jwks":[{"kty":"RSA","x5t":"abc"}],)"
                            R"("onbehalfof":[{"onbehalfof":"a","extra":1}])")),
            (Problems{{"onbehalfof/0/extra", "unknown_field"}, {"jwks/0/x5t", "unknown_field"}}));
}

TEST(ParseClientMetadata, EscapesMemberNamesInPathsLikeAJsonPointer) {
  EXPECT_EQ(ProblemsOf(With(R"("a/b~c":1)")), (Problems{{"a~1b~0c", "unknown_field"}}));
}

TEST(ParseClientMetadata, AcceptsIgnoredReadOnlyMembers) {
  ParseOptions options;
  options.ignored_fields = {"client_id", "active"};
  const auto m = Parse(With(R"("client_id":"abc","active":true)"), options);
  EXPECT_EQ(m.client_orgno, "974760673");
}

TEST(ParseClientMetadata, RejectsWrongJsonTypes) {
  EXPECT_EQ(ProblemsOf(With(R"("client_name":5,"scopes":"openid","sso_disabled":"yes",)"
                            R"("access_token_lifetime":"120","jwks":{"keys":[]})")),
            (Problems{{"client_name", "invalid_type"},
                      {"scopes", "invalid_type"},
                      {"access_token_lifetime", "invalid_type"},
                      {"sso_disabled", "invalid_type"},
                      {"jwks", "invalid_type"}}));
}

TEST(ParseClientMetadata, RejectsWrongElementTypesWithTheirIndex) {
  EXPECT_EQ(ProblemsOf(With(R"("redirect_uris":["https://a.example",7,null],"jwks":["x"])")),
            (Problems{{"redirect_uris/1", "invalid_type"},
                      {"redirect_uris/2", "invalid_type"},
                      {"jwks/0", "invalid_type"}}));
}

TEST(ParseClientMetadata, RejectsFractionalAndOversizedIntegers) {
  EXPECT_EQ(ProblemsOf(With(R"("access_token_lifetime":1.5,)"
                            R"("refresh_token_lifetime":18446744073709551615)")),
            (Problems{{"access_token_lifetime", "invalid_type"},
                      {"refresh_token_lifetime", "out_of_range"}}));
}

TEST(ParseClientMetadata, AcceptsNegativeIntegersForTheValidatorToJudge) {
  EXPECT_EQ(Parse(With(R"("access_token_lifetime":-1)")).access_token_lifetime, -1);
}

TEST(ParseClientMetadata, RejectsUnknownEnumValues) {
  EXPECT_EQ(ProblemsOf(With(R"("application_type":"desktop",)"
                            R"("token_endpoint_auth_method":"tls_client_auth",)"
                            R"("refresh_token_usage":"onetime")")),
            (Problems{{"application_type", "invalid_value"},
                      {"token_endpoint_auth_method", "invalid_value"},
                      {"refresh_token_usage", "invalid_value"}}));
  EXPECT_EQ(ProblemsOf(R"({"integration_type":"bankid"})"),
            (Problems{{"integration_type", "invalid_value"}}));
}

TEST(ParseClientMetadata, RequiresIntegrationTypeOnCreation) {
  EXPECT_EQ(ProblemsOf(R"({"client_name":"x"})"), (Problems{{"integration_type", "required"}}));
}

TEST(ParseClientMetadata, UsesTheStoredIntegrationTypeOnUpdate) {
  ParseOptions options;
  options.fixed_integration_type = IntegrationType::kMaskinporten;
  EXPECT_EQ(Parse(R"({"client_name":"x"})", options).integration_type,
            IntegrationType::kMaskinporten);
  EXPECT_EQ(Parse(R"({"integration_type":"maskinporten"})", options).integration_type,
            IntegrationType::kMaskinporten);
}

TEST(ParseClientMetadata, RejectsChangingTheIntegrationType) {
  ParseOptions options;
  options.fixed_integration_type = IntegrationType::kMaskinporten;
  EXPECT_EQ(ProblemsOf(R"({"integration_type":"idporten"})", options),
            (Problems{{"integration_type", "immutable"}}));
}

TEST(ParseClientMetadata, RejectsInvalidUtf8) {
  auto obj = ParseJson(kMinimal);
  obj->set("client_name", std::string("Kommune \xC3"));
  Poco::JSON::Array::Ptr uris = new Poco::JSON::Array;
  uris->add(std::string("https://a.example/\xFF"));
  obj->set("redirect_uris", uris);
  EXPECT_EQ(ProblemsOf(*obj),
            (Problems{{"client_name", "invalid_utf8"}, {"redirect_uris/0", "invalid_utf8"}}));
}

TEST(ParseClientMetadata, ReportsMemberNamesThatAreNotUtf8Readably) {
  auto obj = ParseJson(kMinimal);
  obj->set(std::string("x\xFF"), 1);
  EXPECT_EQ(ProblemsOf(*obj), (Problems{{"x\\xff", "unknown_field"}}));
}

TEST(ParseClientMetadata, RejectsControlCharacters) {
  EXPECT_EQ(ProblemsOf(With(R"("client_name":"a\u0000b","client_orgno":"97476067\u0003",)"
                            R"("display_name":"a\u0085","scopes":["openid\t"])")),
            (Problems{{"client_name", "control_character"},
                      {"display_name", "control_character"},
                      {"scopes/0", "control_character"},
                      {"client_orgno", "control_character"}}));
}

TEST(ParseClientMetadata, RejectsBidiOverridesThatDisguiseNames) {
  EXPECT_EQ(ProblemsOf(With(R"("client_name":"Bank\u202Egnp.exe")")),
            (Problems{{"client_name", "control_character"}}));
}

TEST(ParseClientMetadata, AllowsLineFeedsInTheDescriptionOnly) {
  EXPECT_EQ(Parse(With(R"("description":"one\ntwo")")).description, "one\ntwo");
  EXPECT_EQ(ProblemsOf(With(R"("client_name":"one\ntwo","description":"a\rb")")),
            (Problems{{"client_name", "control_character"}, {"description", "control_character"}}));
}

TEST(ParseClientMetadata, NormalisesFreeTextToNfc) {
  const auto m = Parse(With(R"("client_name":"Bærum Kommune e\u0301","description":"A\u030A",)"
                            R"("display_name":"o\u0308",)"
                            R"("onbehalfof":[{"onbehalfof":"x","display_name":"A\u030Asen",)"
                            R"("orgno":"974760673"}])"));
  EXPECT_EQ(m.client_name, "Bærum Kommune \u00E9");
  EXPECT_EQ(m.description, "\u00C5");
  EXPECT_EQ(m.display_name, "\u00F6");
  EXPECT_EQ(m.onbehalfof.at(0).display_name, "\u00C5sen");
}

TEST(ParseClientMetadata, LeavesIdentifiersByteForByte) {
  const auto m = Parse(With(R"("scopes":["e\u0301"])"));
  EXPECT_EQ(m.scopes.at(0), "e\u0301");
}

TEST(ParseClientMetadata, CollectsEveryProblemInOneError) {
  try {
    Parse(With(R"("client_name":1,"unknown":2,"sso_disabled":3)"));
    FAIL() << "expected AppError";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    EXPECT_EQ(e.detail(), "client metadata is invalid");
    EXPECT_EQ(e.field_errors().size(), 3u);
  }
}

TEST(ToJson, RoundTripsThroughTextAndTheParser) {
  const auto original = Parse(R"({
    "client_name": "Ærlig app", "description": "x", "integration_type": "idporten",
    "application_type": "native", "grant_types": ["authorization_code", "refresh_token"],
    "redirect_uris": ["com.example.app:/cb"], "refresh_token_usage": "REUSE",
    "client_orgno": "974760673", "supplier_orgno": "991825827",
    "access_token_lifetime": 9007199254740993,
    "onbehalfof": [{"onbehalfof": "k1", "display_name": "Kunde", "orgno": "974760673"}],
    "jwks": [{"kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB", "n": "AAAA"}],
    "contacts": ["a@example.no"]
  })");
  std::ostringstream text;
  ToJson(original)->stringify(text);
  EXPECT_EQ(Parse(text.str()), original);
}

TEST(ToJson, OmitsUnsetOptionalMembersAndWritesWireNames) {
  const auto obj = ToJson(Parse(kMinimal));
  EXPECT_FALSE(obj->has("display_name"));
  EXPECT_FALSE(obj->has("frontchannel_logout_uri"));
  EXPECT_FALSE(obj->has("supplier_orgno"));
  EXPECT_EQ(obj->getValue<std::string>("refresh_token_usage"), "ONETIME");
  EXPECT_EQ(obj->getValue<std::string>("token_endpoint_auth_method"), "client_secret_basic");
  EXPECT_EQ(obj->getValue<Poco::Int64>("authorization_lifetime"), 7200);
}

TEST(ScopeCatalogue, DefaultAllowsOidcScopesForLoginClientsOnly) {
  const auto catalogue = ScopeCatalogue::Default();
  EXPECT_TRUE(catalogue.IsAllowed(IntegrationType::kIdporten, "openid"));
  EXPECT_TRUE(catalogue.IsAllowed(IntegrationType::kAnsattporten, "profile"));
  EXPECT_FALSE(catalogue.IsAllowed(IntegrationType::kMaskinporten, "openid"));
  EXPECT_TRUE(catalogue.IsAllowed(IntegrationType::kKrr, "krr:global/kontaktinformasjon.read"));
  for (const auto& scope : catalogue.AllowedScopes(IntegrationType::kMaskinporten)) {
    EXPECT_NE(scope.find(':'), std::string::npos) << scope;
  }
}

TEST(ScopeCatalogue, FromJsonReplacesTheDefault) {
  const auto catalogue = ScopeCatalogue::FromJson(
      *ParseJson(R"({"idporten":["openid"],"maskinporten":["acme:orders.read"]})"));
  EXPECT_TRUE(catalogue.IsAllowed(IntegrationType::kIdporten, "openid"));
  EXPECT_FALSE(catalogue.IsAllowed(IntegrationType::kIdporten, "profile"));
  EXPECT_TRUE(catalogue.IsAllowed(IntegrationType::kMaskinporten, "acme:orders.read"));
  EXPECT_TRUE(catalogue.AllowedScopes(IntegrationType::kKrr).empty());
}

TEST(ScopeCatalogue, FromJsonRejectsBadConfigurationListingEveryProblem) {
  try {
    ScopeCatalogue::FromJson(*ParseJson(
        R"({"bankid":["x"],"idporten":"openid","krr":["a b",1],"maskinporten":["orders"]})"));
    FAIL() << "expected AppError";
  } catch (const AppError& e) {
    Problems problems;
    for (const auto& f : e.field_errors()) problems.emplace_back(f.path, f.code);
    EXPECT_EQ(problems, (Problems{{"bankid", "unknown_integration_type"},
                                  {"idporten", "invalid_type"},
                                  {"krr/0", "invalid_scope"},
                                  {"krr/1", "invalid_type"},
                                  {"maskinporten/0", "invalid_scope"}}));
  }
}

}  // namespace
}  // namespace onboard::domain
