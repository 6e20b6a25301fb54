// The rules of the operators' OpenID Connect sign-in (issue #17): ID-token checks, the
// role from a claim, PKCE S256.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "error.hpp"
#include "oidc_relying_party.hpp"
#include "pki_fixtures.hpp"

// Its own namespace: the unity build puts it in one batch with access_token_test.cpp, whose
// anonymous namespace has a Rig, a kIss and a Now of its own.
namespace onboard::domain::oidc_relying_party_test {
namespace {

namespace pki = testsupport::pki;

constexpr const char* kIss = "https://idp.test";
constexpr const char* kClient = "onboard-console";

using pki::Now;

struct FixedJwks : JwksSource {
  std::string text;
  std::string Fetch() override { return text; }
};

struct Rig {
  pki::Key rsa = pki::SharedRsaKey();
  std::unique_ptr<IssuerKeys> keys;
  IdTokenRules rules;
  Rig() {
    auto source = std::make_unique<FixedJwks>();
    source->text = "{\"keys\":[" + rsa.PublicJwk("k1", "RS256") + "]}";
    keys = std::make_unique<IssuerKeys>("idp", std::move(source), IssuerKeysPolicy{});
    rules.issuer = kIss;
    rules.client_id = kClient;
  }
  std::string Token(const std::string& extra, int64_t iat_offset = 0,
                    const std::string& aud = "\"onboard-console\"") const {
    const int64_t now = Now();
    return pki::SignJwt(
        "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
        std::string("{\"iss\":\"") + kIss + "\",\"aud\":" + aud +
            ",\"sub\":\"p1\",\"nonce\":\"n-1\",\"iat\":" + std::to_string(now + iat_offset) +
            ",\"exp\":" + std::to_string(now + 300) + extra + "}",
        rsa, "RS256");
  }
};

TEST(OidcIdToken, AValidTokenGivesIssuerSubjectAndClaims) {
  Rig rig;
  const IdTokenClaims c =
      VerifyIdToken(rig.Token(",\"name\":\"Anna\""), rig.rules, *rig.keys, "n-1", Now());
  EXPECT_EQ(c.issuer, kIss);
  EXPECT_EQ(c.subject, "p1");
  EXPECT_EQ(c.claims->getValue<std::string>("name"), "Anna");
  EXPECT_EQ(OidcActor(c.issuer, c.subject), "oidc:https://idp.test#p1");
}

TEST(OidcIdToken, AnotherNonceIsRefused) {
  Rig rig;
  EXPECT_THROW(VerifyIdToken(rig.Token(""), rig.rules, *rig.keys, "n-2", Now()), jwt::Refused);
}

TEST(OidcIdToken, SeveralAudiencesNeedAzpToBeThisClient) {
  Rig rig;
  const std::string two = "[\"onboard-console\",\"other\"]";
  EXPECT_THROW(VerifyIdToken(rig.Token("", 0, two), rig.rules, *rig.keys, "n-1", Now()),
               jwt::Refused);
  EXPECT_NO_THROW(VerifyIdToken(rig.Token(",\"azp\":\"onboard-console\"", 0, two), rig.rules,
                                *rig.keys, "n-1", Now()));
  EXPECT_THROW(VerifyIdToken(rig.Token(",\"azp\":\"other\""), rig.rules, *rig.keys, "n-1", Now()),
               jwt::Refused);
}

TEST(OidcIdToken, IatInTheFutureOrLongAgoIsRefused) {
  Rig rig;
  EXPECT_THROW(VerifyIdToken(rig.Token("", 120), rig.rules, *rig.keys, "n-1", Now()), jwt::Refused);
  EXPECT_THROW(VerifyIdToken(rig.Token("", -1000), rig.rules, *rig.keys, "n-1", Now()),
               jwt::Refused);
  EXPECT_NO_THROW(VerifyIdToken(rig.Token("", 20), rig.rules, *rig.keys, "n-1", Now()));
}

TEST(OidcIdToken, AnAlgorithmOutsideTheRulesIsRefusedBeforeAnyKeyIsLookedAt) {
  Rig rig;
  rig.rules.algs = {jose::Alg::kES256};
  EXPECT_THROW(VerifyIdToken(rig.Token(""), rig.rules, *rig.keys, "n-1", Now()), jwt::Refused);
  EXPECT_EQ(rig.keys->fetches(), 0);
}

TEST(OidcRoles, OperatorValuesWinOverAuditorValuesAndStringsSplitOnSpaces) {
  OidcRoleMapping map;
  map.operator_values = {"ops"};
  map.auditor_values = {"audit"};
  Poco::JSON::Object both;
  Poco::JSON::Array::Ptr groups = new Poco::JSON::Array;
  groups->add("audit");
  groups->add("ops");
  both.set("groups", groups);
  EXPECT_EQ(RoleFromClaims(both, map), Role::kOperator);
  Poco::JSON::Object text;
  text.set("groups", "staff audit");
  EXPECT_EQ(RoleFromClaims(text, map), Role::kAuditor);
  Poco::JSON::Object none;
  none.set("groups", "staff");
  EXPECT_EQ(RoleFromClaims(none, map), std::nullopt);
  EXPECT_EQ(RoleFromClaims(Poco::JSON::Object(), map), std::nullopt);
}

TEST(OidcPkce, TheChallengeIsBase64UrlOfTheVerifiersSha256) {
  // Expected value from Node.js: createHash('sha256').update(v).digest('base64url').
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mJ92K1XbtwoJ1N-9QZEdZ3Za7AQ1bE"),
            "dvNVLiYkwkzjMe6x4CDKwGTNh1crhS1jMCMJm2Ftp2A");
}

TEST(OidcPkce, TheVerifierIsDerivedFromStateAndKeyAndHas43Characters) {
  const std::string v = PkceVerifier("server-key-0123456789-0123456789", "state-1");
  EXPECT_EQ(v.size(), 43u);
  EXPECT_EQ(v, PkceVerifier("server-key-0123456789-0123456789", "state-1"));
  EXPECT_NE(v, PkceVerifier("server-key-0123456789-0123456789", "state-2"));
  EXPECT_NE(v, PkceVerifier("another-key-0123456789-012345678", "state-1"));
}

}  // namespace
}  // namespace onboard::domain::oidc_relying_party_test
