// Enterprise certificate checks, JOSE primitives and the client authentication rules, on
// a test PKI generated here with OpenSSL. No network, no database.

#include <gtest/gtest.h>

#include <ctime>

#include "certificate.hpp"
#include "client_secret.hpp"
#include "error.hpp"
#include "jose.hpp"
#include "pki_fixtures.hpp"
#include "provider_auth.hpp"

namespace onboard {
namespace {

using namespace testsupport::pki;

const std::string kOrgno = "974760673";
const std::string kOtherOrgno = "991825827";

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

// The PKI of a process: a test root with an intermediate, a production root, a stranger.
struct Pki {
  Cert test_root = MakeRoot("Test Root CA");
  Cert test_intermediate = MakeIntermediate(test_root, "Test Issuing CA");
  Cert production_root = MakeRoot("Production Root CA");
  Cert stranger_root = MakeRoot("Stranger Root CA");
};
const Pki& P() {
  static const Pki pki;
  return pki;
}

domain::TrustAnchors TestAnchors(const std::vector<std::string>& crls = {}) {
  return domain::TrustAnchors::FromPem(P().test_root.Pem(), crls);
}

CertOptions Seid1(const std::string& orgno = kOrgno) {
  CertOptions o;
  o.serial_number = orgno;
  return o;
}

std::string CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const AppError& e) {
    return e.code_name();
  }
  return "accepted";
}

std::string Check(const Cert& leaf, const std::vector<Cert>& chain,
                  const domain::TrustAnchors& anchors, const std::string& orgno = kOrgno,
                  domain::CertificatePolicy policy = {}) {
  std::vector<std::string> der{leaf.Der()};
  for (const auto& c : chain) der.push_back(c.Der());
  return CodeOf([&] { domain::CheckCertificate(der, anchors, orgno, policy, Now(), "test"); });
}

// ---------------------------------------------------------------------------------------
// Certificates

TEST(EnterpriseCertificate, AcceptsASeid1CertificateOfTheClientsOrganisation) {
  const Cert leaf = Issue(P().test_root, Seid1());
  const auto checked =
      domain::CheckCertificate({leaf.Der()}, TestAnchors(), kOrgno, {}, Now(), "test");
  EXPECT_EQ(checked.orgno, kOrgno);
  EXPECT_EQ(checked.thumbprint, leaf.Thumbprint());
  EXPECT_EQ(checked.jwk.kid, leaf.Thumbprint());
  EXPECT_EQ(checked.jwk.kty, "RSA");
  ASSERT_EQ(checked.jwk.x5c.size(), 1u);
  EXPECT_EQ(checked.jwk.x5c[0], leaf.Base64Der());
  EXPECT_NE(checked.subject.find("974760673"), std::string::npos);
  EXPECT_NE(checked.issuer.find("Test Root CA"), std::string::npos);
  EXPECT_FALSE(checked.serial.empty());
  EXPECT_LT(checked.not_before, Now());
  EXPECT_GT(checked.not_after, Now() + 365 * 86400);
}

TEST(EnterpriseCertificate, AcceptsASeid2CertificateWithItsIntermediate) {
  CertOptions o;
  o.organization_identifier = "NTRNO-" + kOrgno;
  const Cert leaf = Issue(P().test_intermediate, o);
  EXPECT_EQ(Check(leaf, {P().test_intermediate}, TestAnchors()), "accepted");
}

TEST(EnterpriseCertificate, RefusesAChainWithoutItsIntermediate) {
  const Cert leaf = Issue(P().test_intermediate, Seid1());
  EXPECT_EQ(Check(leaf, {}, TestAnchors()), "certificate_chain_incomplete");
}

TEST(EnterpriseCertificate, RefusesAnotherOrganisationsCertificate) {
  EXPECT_EQ(Check(Issue(P().test_root, Seid1(kOtherOrgno)), {}, TestAnchors()),
            "certificate_orgno_mismatch");
}

TEST(EnterpriseCertificate, RefusesASubjectWithoutOrganisationNumber) {
  EXPECT_EQ(Check(Issue(P().test_root, CertOptions{}), {}, TestAnchors()),
            "certificate_orgno_missing");
}

TEST(EnterpriseCertificate, RefusesAnExpiredCertificate) {
  CertOptions o = Seid1();
  o.not_before_offset_s = -3 * 365 * 86400;
  o.not_after_offset_s = -86400;
  EXPECT_EQ(Check(Issue(P().test_root, o), {}, TestAnchors()), "certificate_expired");
}

TEST(EnterpriseCertificate, RefusesACertificateThatIsNotValidYet) {
  CertOptions o = Seid1();
  o.not_before_offset_s = 86400;
  EXPECT_EQ(Check(Issue(P().test_root, o), {}, TestAnchors()), "certificate_not_yet_valid");
}

TEST(EnterpriseCertificate, RefusesAKeyUsageWithoutDigitalSignature) {
  CertOptions o = Seid1();
  o.digital_signature = false;
  EXPECT_EQ(Check(Issue(P().test_root, o), {}, TestAnchors()), "certificate_key_usage");
}

TEST(EnterpriseCertificate, RefusesA1024BitKey) {
  CertOptions o = Seid1();
  o.key = Key::Rsa(1024);
  EXPECT_EQ(Check(Issue(P().test_root, o), {}, TestAnchors()), "certificate_key_too_short");
}

TEST(EnterpriseCertificate, RefusesAnUntrustedRootEvenWhenTheRootIsUploaded) {
  const Cert leaf = Issue(P().stranger_root, Seid1());
  EXPECT_EQ(Check(leaf, {P().stranger_root}, TestAnchors()), "certificate_untrusted");
  EXPECT_EQ(Check(leaf, {}, TestAnchors()), "certificate_chain_incomplete");
}

TEST(EnterpriseCertificate, RefusesATestRootCertificateForProductionAndTheReverse) {
  const auto production = domain::TrustAnchors::FromPem(P().production_root.Pem(), {});
  EXPECT_EQ(Check(Issue(P().test_root, Seid1()), {P().test_root}, production),
            "certificate_untrusted");
  EXPECT_EQ(Check(Issue(P().production_root, Seid1()), {}, production), "accepted");
  EXPECT_EQ(Check(Issue(P().production_root, Seid1()), {P().production_root}, TestAnchors()),
            "certificate_untrusted");
}

TEST(EnterpriseCertificate, RefusesACertificateRevokedByItsCasCrl) {
  const Cert revoked = Issue(P().test_root, Seid1());
  const Cert fine = Issue(P().test_root, Seid1());
  const auto anchors = TestAnchors({Crl(P().test_root, {revoked})});
  EXPECT_EQ(Check(revoked, {}, anchors), "certificate_revoked");
  EXPECT_EQ(Check(fine, {}, anchors), "accepted");
}

TEST(EnterpriseCertificate, AcceptsEcKeysOnlyWhereConfigured) {
  CertOptions o = Seid1();
  o.key = Key::Ec("P-256");
  const Cert leaf = Issue(P().test_root, o);
  EXPECT_EQ(Check(leaf, {}, TestAnchors()), "certificate_key_not_allowed");
  EXPECT_EQ(Check(leaf, {}, TestAnchors(), kOrgno, domain::CertificatePolicy{true}), "accepted");
}

TEST(EnterpriseCertificate, ReadsPemChainsAndDerAndRefusesGarbage) {
  const Cert leaf = Issue(P().test_intermediate, Seid1());
  const auto pem = domain::ReadCertificates(leaf.Pem() + P().test_intermediate.Pem());
  ASSERT_EQ(pem.size(), 2u);
  EXPECT_EQ(pem[0], leaf.Der());
  const auto der = domain::ReadCertificates(leaf.Der());
  ASSERT_EQ(der.size(), 1u);
  EXPECT_EQ(CodeOf([] { domain::ReadCertificates("not a certificate"); }), "certificate_malformed");
}

TEST(EnterpriseCertificate, RefusesEverythingWhenTheEnvironmentHasNoTrustAnchors) {
  EXPECT_EQ(Check(Issue(P().test_root, Seid1()), {}, domain::TrustAnchors()),
            "certificate_untrusted");
}

// ---------------------------------------------------------------------------------------
// JOSE

TEST(Jose, ComputesTheRfc7638ExampleThumbprint) {
  domain::jose::PublicJwk jwk;
  jwk.kty = "RSA";
  jwk.e = "AQAB";
  jwk.n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPebWKRXjBZCiFV4n3oknjhM"
      "stn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
      "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr"
      "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
      "kEgU8awapJzKnqDKgw";
  EXPECT_EQ(domain::jose::Rfc7638Thumbprint(jwk), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(Jose, RoundTripsRsaAndEcKeysThroughJwk) {
  for (const Key& key : {SharedRsaKey(), Key::Ec("P-256"), Key::Ec("P-384")}) {
    const auto jwk = domain::jose::JwkFromKey(key.pkey.get());
    const auto back =
        domain::jose::KeyFromJwk(domain::jose::ParseJwkJson(domain::jose::JwkJson(jwk)));
    EXPECT_EQ(EVP_PKEY_eq(back.get(), key.pkey.get()), 1) << jwk.kty << " " << jwk.crv;
  }
}

// ---------------------------------------------------------------------------------------
// Client assertions

const std::string kClient = "5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c";
const std::string kAud = "https://test.idporten.no";

struct Assertions {
  Cert cert = Issue(P().test_root, Seid1());
  Key jwk_key = Key::Rsa(2048);
  domain::ClientRuntime runtime;
  Assertions() {
    runtime.client_id = kClient;
    runtime.method = domain::AuthMethod::kPrivateKeyJwt;
    domain::RuntimeKey bound;
    bound.key_id = "k1";
    bound.kid = cert.Thumbprint();
    bound.thumbprint = cert.Thumbprint();
    bound.key = cert.key.pkey;
    runtime.keys.push_back(bound);
    domain::RuntimeKey bare;
    bare.key_id = "k2";
    bare.kid = "bare-1";
    bare.alg = "RS256";
    bare.key = jwk_key.pkey;
    runtime.keys.push_back(bare);
  }
  std::string Header(const std::string& alg, const std::string& kid) const {
    return R"({"alg":")" + alg + R"(","kid":")" + kid + "\"}";
  }
  std::string Good(const std::string& claims) const {
    return SignJwt(Header("RS256", cert.Thumbprint()), claims, cert.key, "RS256");
  }
};
const Assertions& A() {
  static const Assertions a;
  return a;
}

// "accepted" or the error description.
std::string Verify(const std::string& jwt, domain::AssertionPolicy policy = {},
                   const std::vector<std::string>& audiences = {kAud}) {
  try {
    const auto parsed = domain::ParseClientAssertion(jwt);
    const auto& key = domain::VerifyClientAssertion(parsed, A().runtime, audiences, policy, Now());
    return "accepted:" + key.key_id;
  } catch (const domain::ClientAuthFailure& e) {
    EXPECT_EQ(e.error(), "invalid_client");
    return e.description();
  }
}

TEST(ClientAssertion, AcceptsAGoodAssertionSignedWithTheBoundCertificatesKey) {
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud))), "accepted:k1");
}

TEST(ClientAssertion, AcceptsAnX5cHeaderWhoseCertificateIsBound) {
  const std::string header = R"({"alg":"RS256","x5c":[")" + A().cert.Base64Der() + "\"]}";
  EXPECT_EQ(Verify(SignJwt(header, AssertionClaims(kClient, kAud), A().cert.key, "RS256")),
            "accepted:k1");
}

TEST(ClientAssertion, RefusesAnX5cCertificateThatIsNotBound) {
  const Cert other = Issue(P().test_root, Seid1());
  const std::string header = R"({"alg":"RS256","x5c":[")" + other.Base64Der() + "\"]}";
  EXPECT_EQ(Verify(SignJwt(header, AssertionClaims(kClient, kAud), other.key, "RS256")),
            "the x5c certificate is not bound to this client");
}

TEST(ClientAssertion, AcceptsABareJwkByKid) {
  EXPECT_EQ(Verify(SignJwt(A().Header("RS256", "bare-1"), AssertionClaims(kClient, kAud),
                           A().jwk_key, "RS256")),
            "accepted:k2");
}

TEST(ClientAssertion, RefusesAWrongSignature) {
  const Key other = Key::Rsa(2048);
  EXPECT_EQ(Verify(SignJwt(A().Header("RS256", A().cert.Thumbprint()),
                           AssertionClaims(kClient, kAud), other, "RS256")),
            "the client assertion's signature does not verify");
  std::string tampered = A().Good(AssertionClaims(kClient, kAud));
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Verify(tampered), "the client assertion's signature does not verify");
}

TEST(ClientAssertion, RefusesAnUnknownKid) {
  EXPECT_EQ(Verify(SignJwt(A().Header("RS256", "nope"), AssertionClaims(kClient, kAud),
                           A().cert.key, "RS256")),
            "no registered key has kid nope");
}

TEST(ClientAssertion, RefusesAnExpiredAssertionButToleratesTenSecondsOfSkew) {
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud, -65, 60))),
            "accepted:k1");  // expired 5 s ago
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud, -80, 60))),
            "the client assertion has expired");
}

TEST(ClientAssertion, RefusesALifetimeLongerThan120Seconds) {
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud, 0, 120))), "accepted:k1");
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud, 0, 121))),
            "the client assertion lives longer than 120 seconds");
}

TEST(ClientAssertion, RefusesAnAssertionIssuedInTheFuture) {
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud, 30, 60))),
            "the client assertion was issued in the future");
}

TEST(ClientAssertion, RefusesAWrongAudienceAndAcceptsAnyExpectedOne) {
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, "https://evil.example"))),
            "aud does not name this provider");
  EXPECT_EQ(Verify(A().Good(AssertionClaims(kClient, kAud)), {},
                   {"https://test.idporten.no/token", kAud}),
            "accepted:k1");
}

TEST(ClientAssertion, RefusesIssOrSubOtherThanTheClient) {
  std::string claims = AssertionClaims(kClient, kAud);
  const std::string other = "00000000-0000-4000-8000-000000000000";
  std::string wrong_sub = claims;
  wrong_sub.replace(wrong_sub.find(R"("sub":")" + kClient), 7 + kClient.size(),
                    R"("sub":")" + other);
  EXPECT_EQ(Verify(A().Good(wrong_sub)), "sub must be the client_id");
}

TEST(ClientAssertion, RefusesAlgNone) {
  EXPECT_EQ(Verify(Unsigned(R"({"alg":"none","kid":")" + A().cert.Thumbprint() + "\"}",
                            AssertionClaims(kClient, kAud))),
            "alg none is not accepted");
}

TEST(ClientAssertion, RefusesHs256WithThePublicKeyAsSecret) {
  const std::string header = A().Header("HS256", A().cert.Thumbprint());
  EXPECT_EQ(Verify(SignHs256(header, AssertionClaims(kClient, kAud), A().cert.key.PublicPem())),
            "HMAC algorithms are not accepted for client assertions");
}

TEST(ClientAssertion, RefusesAJwkRegisteredForAnotherAlg) {
  EXPECT_EQ(Verify(SignJwt(A().Header("RS512", "bare-1"), AssertionClaims(kClient, kAud),
                           A().jwk_key, "RS512")),
            "the key bare-1 is registered for RS256");
}

TEST(ClientAssertion, AcceptsPs256OnlyWhereConfigured) {
  const std::string jwt = SignJwt(A().Header("PS256", A().cert.Thumbprint()),
                                  AssertionClaims(kClient, kAud), A().cert.key, "PS256");
  EXPECT_EQ(Verify(jwt), "alg PS256 is not accepted");
  domain::AssertionPolicy policy;
  policy.algs.push_back(domain::jose::Alg::kPS256);
  EXPECT_EQ(Verify(jwt, policy), "accepted:k1");
}

TEST(ClientAssertion, RefusesAnAssertionWithoutJti) {
  std::string claims = AssertionClaims(kClient, kAud, 0, 60, "x");
  claims.replace(claims.find(R"(,"jti":"x")"), 10, "");
  EXPECT_EQ(Verify(A().Good(claims)), "the client assertion has no jti");
}

TEST(ClientAssertion, RefusesMalformedTokens) {
  for (const std::string jwt : {"", "a.b", "a.b.c.d", "!!.??.xx"}) {
    EXPECT_THROW(domain::ParseClientAssertion(jwt), domain::ClientAuthFailure) << jwt;
  }
}

// The assertion's own JSON reader (no DOM): what it takes, what it refuses.
std::string Part(const std::string& json) { return crypto::Base64UrlEncode(json); }
domain::ClientAssertion ParseParts(const std::string& header, const std::string& claims) {
  return domain::ParseClientAssertion(Part(header) + "." + Part(claims) + ".c2ln");
}
// "parsed" or the error description.
std::string ParseError(const std::string& header, const std::string& claims) {
  try {
    ParseParts(header, claims);
    return "parsed";
  } catch (const domain::ClientAuthFailure& e) {
    EXPECT_EQ(e.error(), "invalid_client");
    return e.description();
  }
}

TEST(ClientAssertion, ReadsTheClaimsItUsesAndSkipsTheRest) {
  const auto a = ParseParts(
      " {\"typ\" : \"JWT\", \"alg\":\"RS256\",\"kid\":\"k\\u00e9\\/1\",\"x\":{\"a\":[1,2.5e3,true,"
      "false,null,{}],\"b\":[]}}\n",
      R"({"iss":"a\"b","sub":"\ud83d\ude00","aud":["x","y"],"jti":"\t\u0041",)"
      R"("exp":1764590060,"iat":1764590000.9,"nbf":-1.5e1,"extra":{"deep":[[["z"]]]}})");
  EXPECT_EQ(a.alg, "RS256");
  EXPECT_EQ(a.kid, "k\xc3\xa9/1");
  EXPECT_EQ(a.iss, "a\"b");
  EXPECT_EQ(a.sub, "\xf0\x9f\x98\x80");
  EXPECT_EQ(a.aud, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(a.jti, "\tA");
  EXPECT_EQ(a.exp, 1764590060);
  EXPECT_EQ(a.iat, 1764590000);
  EXPECT_EQ(a.nbf, -15);
  EXPECT_EQ(a.signature, "sig");
  const auto single = ParseParts(R"({"alg":"RS256"})", R"({"aud":"only","iss":"caf\u00e9"})");
  EXPECT_EQ(single.aud, std::vector<std::string>{"only"});
  EXPECT_EQ(single.iss, "caf\xc3\xa9");
  EXPECT_FALSE(single.exp.has_value());
  EXPECT_EQ(ParseParts("{}", "{}").alg, "");
}

TEST(ClientAssertion, RefusesJsonThatIsNotStrictlyAnObject) {
  const std::string kHeader = "the client assertion's header is not a JSON object";
  const std::string kClaims = "the client assertion's claims is not a JSON object";
  for (const std::string& bad : std::vector<std::string>{"",
                                                         "[]",
                                                         "\"alg\"",
                                                         "{",
                                                         "{\"alg\":\"RS256\"",
                                                         "{\"alg\":\"RS256\",}",
                                                         "{\"alg\" \"RS256\"}",
                                                         "{'alg':'RS256'}",
                                                         "{\"alg\":\"RS256\"} x",
                                                         "{\"alg\":\"RS256\"}{}",
                                                         "{\"a\":01}",
                                                         "{\"a\":1.}",
                                                         "{\"a\":.5}",
                                                         "{\"a\":+1}",
                                                         "{\"a\":1e}",
                                                         "{\"a\":tru}",
                                                         "{\"a\":nul}",
                                                         "{\"a\":[1,]}",
                                                         "{\"a\":\"\\x\"}",
                                                         "{\"a\":\"\\u12\"}",
                                                         "{\"a\":\"\\ud800\"}",
                                                         "{\"a\":\"\\udc00x\"}",
                                                         "{\"a\":\"tab\there\"}",
                                                         "{\"a\":\"\xc3\"}",
                                                         "{\"a\":\"\xed\xa0\x80\"}",
                                                         "{\"a\":\"\xc0\xaf\"}",
                                                         "{\"a\":NaN}",
                                                         std::string("{\"a\":\"\0\"}", 8)}) {
    EXPECT_EQ(ParseError(bad, "{}"), kHeader) << bad;
    EXPECT_EQ(ParseError("{}", bad), kClaims) << bad;
  }
  std::string deep = "{\"a\":";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  EXPECT_EQ(ParseError("{}", deep + "}"), kClaims);
}

TEST(ClientAssertion, RefusesMembersOfTheWrongTypeOrNamedTwice) {
  EXPECT_EQ(ParseError(R"({"alg":null})", "{}"), "the member alg must be a string");
  EXPECT_EQ(ParseError(R"({"kid":7})", "{}"), "the member kid must be a string");
  EXPECT_EQ(ParseError("{}", R"({"jti":["x"]})"), "the member jti must be a string");
  EXPECT_EQ(ParseError("{}", R"({"exp":"1764590060"})"), "the claim exp must be a number");
  EXPECT_EQ(ParseError("{}", R"({"iat":true})"), "the claim iat must be a number");
  EXPECT_EQ(ParseError("{}", R"({"nbf":1e400})"), "the claim nbf must be a number");
  EXPECT_EQ(ParseError("{}", R"({"exp":1e19})"), "the claim exp must be a number");
  EXPECT_EQ(ParseError("{}", R"({"aud":["x",1]})"), "aud must be a string or an array of strings");
  EXPECT_EQ(ParseError("{}", R"({"aud":{}})"), "aud must be a string or an array of strings");
  EXPECT_EQ(ParseError(R"({"x5c":[]})", "{}"), "x5c must be an array of base64 certificates");
  EXPECT_EQ(ParseError(R"({"x5c":"AAAA"})", "{}"), "x5c must be an array of base64 certificates");
  EXPECT_EQ(ParseError(R"({"x5c":[1]})", "{}"), "x5c must be an array of base64 certificates");
  EXPECT_EQ(ParseError(R"({"crit":["exp"]})", "{}"),
            "the client assertion names critical header parameters this service does not know");
  EXPECT_EQ(ParseError(R"({"alg":"RS256","alg":"none"})", "{}"),
            "the client assertion's header names alg twice");
  EXPECT_EQ(ParseError("{}", R"({"iss":"a","iss":"b"})"),
            "the client assertion's claims names iss twice");
  EXPECT_EQ(ParseError("{}", R"({"exp":1,"exp":2})"),
            "the client assertion's claims names exp twice");
  EXPECT_EQ(ParseError(R"({"x":1,"x":2})", R"({"y":1,"y":2})"), "parsed");  // unused members
}

// The verification contexts are cached per thread and key: many keys and algorithms in
// turn (more than the cache holds), good and bad signatures, keep giving the right answer.
TEST(Jose, VerifiesWithCachedContextsAcrossManyKeysAndAlgorithms) {
  using domain::jose::Alg;
  struct Case {
    Key key;
    Alg alg;
    std::string name;
  };
  std::vector<Case> cases;
  for (int i = 0; i < 6; ++i) cases.push_back({Key::Rsa(2048), Alg::kRS256, "RS256"});
  cases.push_back({SharedRsaKey(), Alg::kRS384, "RS384"});
  cases.push_back({SharedRsaKey(), Alg::kRS512, "RS512"});
  cases.push_back({SharedRsaKey(), Alg::kPS256, "PS256"});
  cases.push_back({Key::Ec("P-256"), Alg::kES256, "ES256"});
  cases.push_back({Key::Ec("P-384"), Alg::kES384, "ES384"});
  const std::string claims = AssertionClaims(kClient, kAud);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const std::string jwt = SignJwt(R"({"alg":")" + c.name + "\"}", claims, c.key, c.name);
      const auto parsed = domain::ParseClientAssertion(jwt);
      EXPECT_TRUE(domain::jose::VerifySignature(c.alg, c.key.pkey.get(), parsed.signing_input,
                                                parsed.signature))
          << c.name << " " << i;
      const Case& other = cases[i == 0 ? 1 : 0];  // another RSA key (none for EC fits)
      EXPECT_FALSE(domain::jose::VerifySignature(c.alg, other.key.pkey.get(), parsed.signing_input,
                                                 parsed.signature))
          << c.name << " with another key";
      std::string tampered = parsed.signing_input;
      tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
      EXPECT_FALSE(
          domain::jose::VerifySignature(c.alg, c.key.pkey.get(), tampered, parsed.signature))
          << c.name << " tampered";
      EXPECT_FALSE(domain::jose::VerifySignature(c.alg, c.key.pkey.get(), parsed.signing_input,
                                                 parsed.signature.substr(1)))
          << c.name << " short signature";
    }
  }
  // RS256 with a PS256 signature and the reverse: the padding is part of the cached context.
  const std::string ps = SignJwt(R"({"alg":"PS256"})", claims, cases[8].key, "PS256");
  const auto parsed = domain::ParseClientAssertion(ps);
  EXPECT_FALSE(domain::jose::VerifySignature(Alg::kRS256, cases[8].key.pkey.get(),
                                             parsed.signing_input, parsed.signature));
  EXPECT_TRUE(domain::jose::VerifySignature(Alg::kPS256, cases[8].key.pkey.get(),
                                            parsed.signing_input, parsed.signature));
}

// ---------------------------------------------------------------------------------------
// Secrets

TEST(ClientSecretAuthentication, MatchesAnyActiveSecretAndNeverAnExpiredOne) {
  const std::string pepper = "unit-pepper-0123456789abcdef0123456789";
  domain::ClientRuntime rt;
  rt.secrets.push_back({"old", domain::HashClientSecret(pepper, "old-secret"), Now() + 3600});
  rt.secrets.push_back({"new", domain::HashClientSecret(pepper, "new-secret"), Now() + 7200});
  rt.secrets.push_back({"gone", domain::HashClientSecret(pepper, "expired-secret"), Now() - 1});
  ASSERT_NE(domain::MatchSecret(rt, pepper, "old-secret", Now()), nullptr);
  EXPECT_EQ(domain::MatchSecret(rt, pepper, "old-secret", Now())->secret_id, "old");
  EXPECT_EQ(domain::MatchSecret(rt, pepper, "new-secret", Now())->secret_id, "new");
  EXPECT_EQ(domain::MatchSecret(rt, pepper, "expired-secret", Now()), nullptr);
  EXPECT_EQ(domain::MatchSecret(rt, pepper, "wrong", Now()), nullptr);
  EXPECT_EQ(domain::MatchSecret(rt, "another-pepper-0123456789abcdef01234", "new-secret", Now()),
            nullptr);
}

TEST(ClientSecretAuthentication, DecodesBasicCredentialsThatAreFormUrlEncoded) {
  // RFC 6749 section 2.3.1: "a:b c" and "p%w:d" are encoded before base64.
  const std::string header = "Basic " + crypto::Base64Encode("a%3Ab+c:p%25w%3Ad");
  auto [id, secret] = domain::ParseBasicCredentials(header);
  EXPECT_EQ(id, "a:b c");
  EXPECT_EQ(secret.reveal(), "p%w:d");
  EXPECT_THROW(domain::ParseBasicCredentials("Bearer abc"), domain::ClientAuthFailure);
  EXPECT_THROW(domain::ParseBasicCredentials("Basic " + crypto::Base64Encode("no-colon")),
               domain::ClientAuthFailure);
}

}  // namespace
}  // namespace onboard
