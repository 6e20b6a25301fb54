// JWT access tokens of API callers (issue #17): claim rules, algorithms, scopes and the
// issuer key cache (refresh on an unknown kid at most once per interval, cached keys kept
// through an outage until they are too old, then 503).
#include <gtest/gtest.h>

#include <atomic>

#include "access_token.hpp"
#include "error.hpp"
#include "pki_fixtures.hpp"

namespace onboard::domain {
namespace {

namespace pki = testsupport::pki;

constexpr const char* kIss = "https://maskinporten.test";
constexpr const char* kAud = "https://onboard.test/clients";

using pki::Now;

/// A JWKS that the test changes and can take down; counts fetches.
struct ScriptedJwks : JwksSource {
  std::string* text;
  bool* down;
  std::string Fetch() override {
    if (*down) throw std::runtime_error("connection refused");
    return *text;
  }
};

struct Rig {
  pki::Key rsa = pki::SharedRsaKey();
  pki::Key ec = pki::Key::Ec("P-256");
  std::string jwks;
  bool down = false;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  std::shared_ptr<IssuerKeys> keys;
  std::unique_ptr<AccessTokenVerifier> verifier;

  Rig() {
    jwks =
        "{\"keys\":[" + rsa.PublicJwk("rsa1", "RS256") + "," + ec.PublicJwk("ec1", "ES256") + "]}";
    auto source = std::make_unique<ScriptedJwks>();
    source->text = &jwks;
    source->down = &down;
    IssuerKeysPolicy policy;
    policy.refresh = std::chrono::seconds(300);
    policy.min_interval = std::chrono::seconds(30);
    policy.max_age = std::chrono::seconds(3600);
    keys = std::make_shared<IssuerKeys>("maskinporten", std::move(source), policy,
                                        [this] { return now; });
    AccessTokenIssuer issuer;
    issuer.name = "maskinporten";
    issuer.issuer = kIss;
    issuer.audiences = {kAud};
    issuer.keys = keys;
    std::vector<AccessTokenIssuer> issuers;
    issuers.push_back(issuer);
    verifier = std::make_unique<AccessTokenVerifier>(std::move(issuers), 30);
  }

  static std::string Claims(const std::string& extra = "", int64_t exp_offset = 120,
                            const std::string& scope = "idporten:dcr.read",
                            const std::string& iss = kIss, const std::string& aud = kAud) {
    const int64_t now = Now();
    return "{\"iss\":\"" + iss + "\",\"aud\":\"" + aud + "\",\"iat\":" + std::to_string(now) +
           ",\"exp\":" + std::to_string(now + exp_offset) +
           ",\"client_id\":\"admin-client\",\"scope\":\"" + scope +
           "\",\"consumer\":{\"authority\":\"iso6523-actorid-upis\",\"ID\":\"0192:991825827\"}" +
           extra + "}";
  }
  std::string Rs(const std::string& claims, const std::string& kid = "rsa1") const {
    return pki::SignJwt("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}", claims,
                        rsa, "RS256");
  }
};

std::string RefusalOf(const Rig& rig, const std::string& token) {
  try {
    rig.verifier->Verify(token, Now());
  } catch (const jwt::Refused& e) {
    return e.what();
  }
  return "accepted";
}

TEST(AccessToken, AValidTokenGrantsItsScopesForTheConsumerOrganisation) {
  Rig rig;
  const Grant g = rig.verifier->Verify(rig.Rs(Rig::Claims()), Now());
  EXPECT_EQ(g.orgno, "991825827");
  EXPECT_EQ(g.client_id, "admin-client");
  EXPECT_EQ(g.issuer_name, "maskinporten");
  EXPECT_EQ(g.permissions, Bit(Permission::kClientsRead) | Bit(Permission::kOnbehalfofRead));
  EXPECT_FALSE(g.supplier);
}

TEST(AccessToken, EcAndPssSignaturesAreAcceptedToo) {
  Rig rig;
  const auto es = pki::SignJwt(R"({"alg":"ES256","kid":"ec1"})", Rig::Claims(), rig.ec, "ES256");
  EXPECT_EQ(rig.verifier->Verify(es, Now()).orgno, "991825827");
  rig.jwks = "{\"keys\":[" + rig.rsa.PublicJwk("ps1", "PS256") + "]}";
  rig.now += std::chrono::seconds(31);
  const auto ps = pki::SignJwt(R"({"alg":"PS256","kid":"ps1"})", Rig::Claims(), rig.rsa, "PS256");
  EXPECT_EQ(rig.verifier->Verify(ps, Now()).orgno, "991825827");
}

TEST(AccessToken, AlgNoneAndHs256WithThePublicKeyAsSecretAreRefused) {
  Rig rig;
  EXPECT_NE(RefusalOf(rig, pki::Unsigned(R"({"alg":"none","kid":"rsa1"})", Rig::Claims())),
            "accepted");
  EXPECT_NE(RefusalOf(rig, pki::SignHs256(R"({"alg":"HS256","kid":"rsa1"})", Rig::Claims(),
                                          rig.rsa.PublicPem())),
            "accepted");
  EXPECT_NE(RefusalOf(rig, pki::SignJwt(R"({"alg":"RS512","kid":"rsa1"})", Rig::Claims(), rig.rsa,
                                        "RS512")),
            "accepted");
}

TEST(AccessToken, ClaimsOutsideTheRulesAreRefused) {
  Rig rig;
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims("", -31))), "the token has expired");
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims("", 120, "x", "https://evil.test"))),
            "the token's issuer 'https://evil.test' is not trusted");
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims("", 120, "x", kIss, "https://other.test"))),
            "aud does not name this service");
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims(",\"nbf\":" + std::to_string(Now() + 120)))),
            "the token is not valid yet (nbf)");
  // Within the skew an expired token still passes.
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims("", -10))), "accepted");
}

TEST(AccessToken, TheOrganisationComesOnlyFromAValidConsumerClaim) {
  EXPECT_EQ(OrgnoFromConsumer(Poco::Dynamic::Var(std::string("0192:991825827"))), "991825827");
  EXPECT_EQ(OrgnoFromConsumer(Poco::Dynamic::Var(std::string("0192:991825828"))), "");
  EXPECT_EQ(OrgnoFromConsumer(Poco::Dynamic::Var(std::string("0088:991825827"))), "");
  EXPECT_EQ(OrgnoFromConsumer(Poco::Dynamic::Var(std::string("991825827"))), "");
  Rig rig;
  const std::string no_consumer = "{\"iss\":\"" + std::string(kIss) + "\",\"aud\":\"" + kAud +
                                  "\",\"exp\":" + std::to_string(Now() + 60) +
                                  ",\"client_id\":\"c\"}";
  EXPECT_EQ(RefusalOf(rig, rig.Rs(no_consumer)), "the token has no consumer claim");
}

TEST(AccessToken, ATamperedSignatureIsRefused) {
  Rig rig;
  std::string token = rig.Rs(Rig::Claims());
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(RefusalOf(rig, token), "the signature does not verify with the keys of maskinporten");
}

TEST(ScopePermissions, EachScopeGrantsItsPermissionsOnly) {
  const unsigned read = PermissionsForScopes({"idporten:dcr.read"});
  const unsigned modify = PermissionsForScopes({"idporten:dcr.modify"});
  const unsigned write = PermissionsForScopes({"idporten:dcr.write"});
  const unsigned obo = PermissionsForScopes({"idporten:dcr/onbehalfof:write"});
  EXPECT_EQ(read, Bit(Permission::kClientsRead) | Bit(Permission::kOnbehalfofRead));
  EXPECT_EQ(modify, read | Bit(Permission::kClientsModify));
  EXPECT_TRUE(write & Bit(Permission::kClientsCreate));
  EXPECT_TRUE(write & Bit(Permission::kCredentials));
  EXPECT_EQ(obo, Bit(Permission::kOnbehalfofRead) | Bit(Permission::kOnbehalfofWrite));
  EXPECT_EQ(PermissionsForScopes({"idporten:dcr.supplier", "openid", "idporten:scopes.write"}), 0u);
  EXPECT_EQ(ScopesGranting(Permission::kClientsCreate), "idporten:dcr.write");
}

TEST(IssuerKeysCache, AnUnknownKidFetchesAgainAtMostOncePerInterval) {
  Rig rig;
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims())), "accepted");
  EXPECT_EQ(rig.keys->fetches(), 1);
  // Rotation at the issuer: a token with the new kid right away finds it only after the
  // interval has passed since the last fetch.
  const pki::Key fresh = pki::Key::Rsa(2048);
  rig.jwks = "{\"keys\":[" + fresh.PublicJwk("rsa2", "RS256") + "]}";
  const std::string rotated =
      pki::SignJwt(R"({"alg":"RS256","kid":"rsa2"})", Rig::Claims(), fresh, "RS256");
  EXPECT_EQ(RefusalOf(rig, rotated), "no key of maskinporten has kid rsa2");
  EXPECT_EQ(RefusalOf(rig, rotated), "no key of maskinporten has kid rsa2");
  EXPECT_EQ(rig.keys->fetches(), 1) << "an unknown kid must not fetch more than once per 30 s";
  rig.now += std::chrono::seconds(30);
  EXPECT_EQ(RefusalOf(rig, rotated), "accepted");
  EXPECT_EQ(rig.keys->fetches(), 2);
  EXPECT_EQ(RefusalOf(rig, rotated), "accepted");
  EXPECT_EQ(rig.keys->fetches(), 2);
}

TEST(IssuerKeysCache, AnOutageKeepsCachedKeysUntilTheyAreTooOldThenAnswers503) {
  Rig rig;
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims())), "accepted");
  rig.down = true;
  rig.now += std::chrono::seconds(301);  // due for refresh: the fetch fails, the keys stay
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims())), "accepted");
  EXPECT_EQ(rig.keys->fetches(), 2);
  rig.now += std::chrono::seconds(3300);  // 3601 s after the last good fetch
  try {
    rig.verifier->Verify(rig.Rs(Rig::Claims()), Now());
    ADD_FAILURE() << "a token was accepted with keys older than the limit";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
  rig.down = false;
  rig.now += std::chrono::seconds(30);
  EXPECT_EQ(RefusalOf(rig, rig.Rs(Rig::Claims())), "accepted");
}

TEST(IssuerKeysCache, NoKeysAtAllIs503NeverAcceptance) {
  Rig rig;
  rig.down = true;
  EXPECT_THROW(rig.verifier->Verify(rig.Rs(Rig::Claims()), Now()), AppError);
}

TEST(IssuerKeysCache, EncryptionKeysAndBrokenKeysAreLeftOut) {
  const pki::Key rsa = pki::SharedRsaKey();
  std::string enc = rsa.PublicJwk("e1", "RS256");
  enc.replace(enc.find("\"sig\""), 5, "\"enc\"");
  const auto keys =
      ParseJwkSet("{\"keys\":[" + enc + R"(,{"kty":"RSA","kid":"x","n":"AQ","e":"!"},)" +
                  rsa.PublicJwk("s1", "RS256") + "]}");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].kid, "s1");
  EXPECT_THROW(ParseJwkSet("[]"), std::runtime_error);
}

}  // namespace
}  // namespace onboard::domain
