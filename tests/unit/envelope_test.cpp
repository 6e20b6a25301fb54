#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config.hpp"
#include "config_fixtures.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "kek.hpp"

namespace onboard::crypto {
namespace {

const std::string kKey(32, '\x42');

std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(AesGcm, SealedValuesOpenWithTheSameKeyAndAad) {
  const std::string sealed = SealAesGcm(kKey, "the zip bytes", "onboard-package|d1");
  EXPECT_EQ(sealed.size(), kAesGcmNonceBytes + 13 + kAesGcmTagBytes);
  EXPECT_EQ(OpenAesGcm(kKey, sealed, "onboard-package|d1").reveal(), "the zip bytes");
}

TEST(AesGcm, SealingTheSameTextTwiceUsesDifferentNonces) {
  const std::string a = SealAesGcm(kKey, "same", "aad");
  const std::string b = SealAesGcm(kKey, "same", "aad");
  EXPECT_NE(a.substr(0, kAesGcmNonceBytes), b.substr(0, kAesGcmNonceBytes));
  EXPECT_NE(a, b);
}

TEST(AesGcm, TheCiphertextDoesNotContainThePlaintext) {
  const std::string plain = "PASSWORD-ABCDE-FGHJK";
  EXPECT_EQ(SealAesGcm(kKey, plain, "").find(plain), std::string::npos);
}

TEST(AesGcm, RefusesAnotherAad) {
  const std::string sealed = SealAesGcm(kKey, "payload", "onboard-outbox|d1|sms");
  EXPECT_THROW(OpenAesGcm(kKey, sealed, "onboard-outbox|d1|email"), AppError);
  EXPECT_THROW(OpenAesGcm(kKey, sealed, "onboard-outbox|d2|sms"), AppError);
}

TEST(AesGcm, RefusesAnotherKey) {
  const std::string sealed = SealAesGcm(kKey, "payload", "aad");
  EXPECT_THROW(OpenAesGcm(std::string(32, '\x43'), sealed, "aad"), AppError);
}

TEST(AesGcm, RefusesEveryAlteredByte) {
  const std::string sealed = SealAesGcm(kKey, "payload", "aad");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_THROW(OpenAesGcm(kKey, bad, "aad"), AppError) << "byte " << i;
  }
}

TEST(AesGcm, RefusesTruncatedInputAndWrongKeySizes) {
  const std::string sealed = SealAesGcm(kKey, "payload", "aad");
  EXPECT_THROW(OpenAesGcm(kKey, sealed.substr(0, 27), "aad"), AppError);
  EXPECT_THROW(OpenAesGcm(kKey, sealed.substr(0, sealed.size() - 1), "aad"), AppError);
  EXPECT_THROW(SealAesGcm(std::string(16, 'k'), "x", ""), AppError);
  EXPECT_THROW(OpenAesGcm(std::string(31, 'k'), sealed, "aad"), AppError);
}

TEST(AesGcm, SealsAndOpensTheEmptyString) {
  const std::string sealed = SealAesGcm(kKey, "", "aad");
  EXPECT_EQ(sealed.size(), kAesGcmNonceBytes + kAesGcmTagBytes);
  EXPECT_EQ(OpenAesGcm(kKey, sealed, "aad").reveal(), "");
}

// NIST GCM test vector (gcmEncryptExtIV256.rsp, Count 0 with AAD): nonce || ct || tag.
TEST(AesGcm, OpensTheNistAes256GcmKnownAnswer) {
  const std::string key =
      FromHex("92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b");
  const std::string nonce = FromHex("ac93a1a6145299bde902f21a");
  const std::string pt = FromHex("2d71bcfa914e4ac045b2aa60955fad24");
  const std::string aad = FromHex("1e0889016f67601c8ebea4943bc23ad6");
  const std::string ct = FromHex("8995ae2e6df3dbf96fac7b7137bae67f");
  const std::string tag = FromHex("eca5aa77d51d4a0a14d9c51e1da474ab");
  EXPECT_EQ(OpenAesGcm(key, nonce + ct + tag, aad).reveal(), pt);
}

TEST(Kek, ParsesIdsAndKeysSeparatedByCommasAndNewlines) {
  std::vector<std::string> problems;
  const auto keks = ParseKeks(
      " new:" + std::string(64, 'a') + ",\nold.1_x-y:" + std::string(64, 'B') + "\n\n", problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(keks.size(), 2u);
  EXPECT_EQ(keks[0].id, "new");
  EXPECT_EQ(keks[0].key, std::string(32, '\xaa'));
  EXPECT_EQ(keks[1].id, "old.1_x-y");
  EXPECT_EQ(keks[1].key, std::string(32, '\xbb'));
}

TEST(Kek, ReportsEachBadEntryWithoutTheKeyMaterial) {
  std::vector<std::string> problems;
  const std::string bad_hex = std::string(63, 'a') + "g";
  ParseKeks("nocolon,bad id:" + std::string(64, 'a') + ",short:abcd,hex:" + bad_hex +
                ",ok:" + std::string(64, '1') + ",ok:" + std::string(64, '2') + "," +
                std::string(33, 'i') + ":" + std::string(64, '3'),
            problems);
  ASSERT_EQ(problems.size(), 6u);
  for (const auto& p : problems) {
    EXPECT_EQ(p.find(bad_hex), std::string::npos) << p;
    EXPECT_EQ(p.find(std::string(64, '2')), std::string::npos) << p;
  }
  EXPECT_NE(problems[4].find("appears twice"), std::string::npos) << problems[4];
}

TEST(KeyRing, SealsUnderTheFirstKeyAndOpensUnderAnyConfiguredKey) {
  std::vector<std::string> problems;
  KeyRing old_ring(ParseKeks("k1:" + std::string(64, '1'), problems));
  const Sealed under_k1 = old_ring.Seal("payload", OutboxAad("d", "sms"));
  EXPECT_EQ(under_k1.kek_id, "k1");

  KeyRing ring(ParseKeks("k2:" + std::string(64, '2') + ",k1:" + std::string(64, '1'), problems));
  ASSERT_TRUE(problems.empty());
  EXPECT_EQ(ring.Current().id, "k2");
  EXPECT_EQ(ring.Seal("x", "a").kek_id, "k2");
  EXPECT_EQ(ring.Open(under_k1.kek_id, under_k1.bytes, OutboxAad("d", "sms")).reveal(), "payload");
  EXPECT_THROW(ring.Open("k3", under_k1.bytes, OutboxAad("d", "sms")), AppError);
  EXPECT_THROW(KeyRing({}), AppError);
}

TEST(KeyRing, UsesTheAadStringsAgreedWithTheCourier) {
  EXPECT_EQ(PackageAad("abc"), "onboard-package|abc");
  EXPECT_EQ(OutboxAad("abc", "email"), "onboard-outbox|abc|email");
}

using Env = testsupport::ConfigEnv;
const std::string kUrl = testsupport::kConfigDatabaseUrl;

std::vector<std::string> ProblemsOf(const Env& env) { return testsupport::ConfigProblems(env); }

TEST(SecretsConfig, ReadsTheKeyRingFromTheEnvironment) {
  const AppConfig c = LoadConfig(
      nullptr,
      {{"ONBOARD_DATABASE_URL", kUrl},
       {"ONBOARD_SECRETS_KEK", "a:" + std::string(64, 'f') + ",b:" + std::string(64, '0')}});
  ASSERT_EQ(c.secrets.keks.size(), 2u);
  EXPECT_EQ(c.secrets.keks[0].id, "a");
  EXPECT_EQ(c.secrets.grace_days, 7);
  EXPECT_EQ(c.secrets.max_old, 5);
  EXPECT_EQ(c.delivery.package_ttl_days, 14);
  ASSERT_EQ(c.delivery.mobile_prefixes.size(), 1u);
  EXPECT_EQ(c.delivery.mobile_prefixes[0].prefix, "+47");
  EXPECT_EQ(c.delivery.mobile_prefixes[0].min_digits, 8);
  EXPECT_EQ(c.environments.test.issuer, "https://test.idporten.no");
  EXPECT_EQ(c.environments.test.well_known_url,
            "https://test.idporten.no/.well-known/openid-configuration");
  EXPECT_EQ(c.environments.production.token_endpoint, "https://idporten.no/token");
}

TEST(SecretsConfig, LeavesTheKeyRingEmptyWhenNoneIsGiven) {
  EXPECT_TRUE(LoadConfig(nullptr, {{"ONBOARD_DATABASE_URL", kUrl}}).secrets.keks.empty());
}

TEST(SecretsConfig, ReportsABadKeyWithoutEchoingIt) {
  const std::string value = "k:" + std::string(62, 'e');
  const auto problems =
      ProblemsOf({{"ONBOARD_DATABASE_URL", kUrl}, {"ONBOARD_SECRETS_KEK", value}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("ONBOARD_SECRETS_KEK"), std::string::npos);
  EXPECT_EQ(problems[0].find(std::string(62, 'e')), std::string::npos);
}

TEST(SecretsConfig, ReadsTheKeyFileOnlyWhenOthersCannotReadIt) {
  const auto path = std::filesystem::temp_directory_path() / ("onboard-kek-" + NewUuid());
  std::ofstream(path) << "file-k:" << std::string(64, 'c') << "\n";
  ::chmod(path.c_str(), 0644);
  auto problems =
      ProblemsOf({{"ONBOARD_DATABASE_URL", kUrl}, {"ONBOARD_SECRETS_KEK_FILE", path.string()}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  const AppConfig c = LoadConfig(
      nullptr, {{"ONBOARD_DATABASE_URL", kUrl}, {"ONBOARD_SECRETS_KEK_FILE", path.string()}});
  ASSERT_EQ(c.secrets.keks.size(), 1u);
  EXPECT_EQ(c.secrets.keks[0].id, "file-k");
  std::filesystem::remove(path);
}

TEST(SecretsConfig, ParsesMobilePrefixesAndRejectsBadOnes) {
  const AppConfig c = LoadConfig(
      nullptr,
      {{"ONBOARD_DATABASE_URL", kUrl}, {"ONBOARD_DELIVERY_MOBILE_PREFIXES", "+47, +46:7-9,+45:8"}});
  ASSERT_EQ(c.delivery.mobile_prefixes.size(), 3u);
  EXPECT_EQ(c.delivery.mobile_prefixes[1].prefix, "+46");
  EXPECT_EQ(c.delivery.mobile_prefixes[1].min_digits, 7);
  EXPECT_EQ(c.delivery.mobile_prefixes[1].max_digits, 9);
  EXPECT_EQ(c.delivery.mobile_prefixes[2].max_digits, 8);
  for (const char* bad : {"47", "+0", "+47:2", "+47:9-8", "+1:15", "", "+4a"}) {
    EXPECT_EQ(
        ProblemsOf({{"ONBOARD_DATABASE_URL", kUrl}, {"ONBOARD_DELIVERY_MOBILE_PREFIXES", bad}})
            .size(),
        1u)
        << bad;
  }
}

TEST(SecretsConfig, RequiresHttpsEnvironmentEndpoints) {
  const auto problems = ProblemsOf({{"ONBOARD_DATABASE_URL", kUrl},
                                    {"ONBOARD_ENVIRONMENTS_TEST_ISSUER", "http://test.example"}});
  // The issuer and the two URLs derived from it.
  EXPECT_EQ(problems.size(), 3u);
  const AppConfig c = LoadConfig(
      nullptr, {{"ONBOARD_DATABASE_URL", kUrl},
                {"ONBOARD_ENVIRONMENTS_PRODUCTION_ISSUER", "https://login.example/"},
                {"ONBOARD_ENVIRONMENTS_PRODUCTION_TOKEN_ENDPOINT", "https://t.example/tok"}});
  EXPECT_EQ(c.environments.production.issuer, "https://login.example");
  EXPECT_EQ(c.environments.production.well_known_url,
            "https://login.example/.well-known/openid-configuration");
  EXPECT_EQ(c.environments.production.token_endpoint, "https://t.example/tok");
}

}  // namespace
}  // namespace onboard::crypto
