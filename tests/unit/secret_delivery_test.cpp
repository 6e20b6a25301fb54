#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <set>

#include "delivery.hpp"
#include "error.hpp"
#include "issuer.hpp"
#include "templates.hpp"
#include "zip_package.hpp"
#include "zip_password.hpp"

namespace onboard {
namespace {

using domain::DeliveryChannel;

TEST(ZipPassword, HasFiveGroupsOfFiveFromTheAlphabetWithoutLookAlikes) {
  for (int i = 0; i < 200; ++i) {
    const crypto::SecretString p = domain::NewZipPassword();
    const std::string& s = p.reveal();
    ASSERT_EQ(s.size(), 29u) << s;
    EXPECT_TRUE(domain::LooksLikeZipPassword(s)) << s;
    for (char c : std::string("0O1lIo")) EXPECT_EQ(s.find(c), std::string::npos) << s;
    EXPECT_EQ(s[5], '-');
    EXPECT_EQ(s[11], '-');
    EXPECT_EQ(s[17], '-');
    EXPECT_EQ(s[23], '-');
  }
}

TEST(ZipPassword, CarriesAtLeastOneHundredBitsOfEntropy) {
  // 32 symbols = 5 bits each; 25 symbols.
  EXPECT_EQ(domain::kZipPasswordAlphabet.size(), 32u);
  EXPECT_EQ(std::set<char>(domain::kZipPasswordAlphabet.begin(), domain::kZipPasswordAlphabet.end())
                .size(),
            32u);
  EXPECT_GE(domain::kZipPasswordBits, 100);
  EXPECT_EQ(domain::kZipPasswordGroups * domain::kZipPasswordGroupLength * 5,
            domain::kZipPasswordBits);
}

TEST(ZipPassword, UsesEverySymbolAndNeverRepeatsAPassword) {
  std::set<std::string> seen;
  std::set<char> symbols;
  for (int i = 0; i < 2000; ++i) {
    const crypto::SecretString p = domain::NewZipPassword();
    EXPECT_TRUE(seen.insert(p.reveal()).second);
    for (char c : p.reveal()) symbols.insert(c);
  }
  EXPECT_EQ(symbols.size(), 33u);  // the alphabet and '-'
}

TEST(ZipPassword, RecognisesOnlyItsOwnShape) {
  EXPECT_TRUE(domain::LooksLikeZipPassword("abcde-fghjk-mnpqr-stuvw-xyz23"));
  EXPECT_FALSE(domain::LooksLikeZipPassword("abcde-fghjk-mnpqr-stuvw-xyz2"));
  EXPECT_FALSE(domain::LooksLikeZipPassword("abcde-fghjk-mnpqr-stuvw-xyz2l"));
  EXPECT_FALSE(domain::LooksLikeZipPassword("abcdeafghjk-mnpqr-stuvw-xyz23"));
}

const std::vector<MobilePrefix> kNorway{{"+47", 8, 8}};

TEST(Mobile, AcceptsPlus47WithExactlyEightDigitsByDefault) {
  EXPECT_TRUE(domain::IsAcceptedMobile("+4791234567", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("+479123456", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("+47912345678", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("4791234567", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("+47 91234567", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("+4691234567", kNorway));
  EXPECT_FALSE(domain::IsAcceptedMobile("", kNorway));
}

TEST(Mobile, AcceptsOtherPrefixesOnlyWhenConfigured) {
  const std::vector<MobilePrefix> nordics{{"+47", 8, 8}, {"+46", 7, 9}};
  EXPECT_TRUE(domain::IsAcceptedMobile("+46701234567", nordics));
  EXPECT_FALSE(domain::IsAcceptedMobile("+46123456", nordics));
}

TEST(Mobile, MasksAllButTheLastThreeDigits) {
  EXPECT_EQ(domain::MaskMobile("+4791234567"), "+47*****567");
}

TEST(Rotation, GivesEveryPreviousSecretAtMostTheGracePeriod) {
  const int64_t now = 1'000'000;
  const auto plan =
      domain::PlanRotation({{"new", now + 300 * 86400}, {"soon", now + 3600}}, now, 7, 5);
  ASSERT_EQ(plan.size(), 1u);  // the one expiring within the grace period keeps its expiry
  EXPECT_EQ(plan[0].secret_id, "new");
  EXPECT_EQ(plan[0].expires_at_epoch, now + 7 * 86400);
}

TEST(Rotation, ExpiresTheOldestBeyondMaxOldAtOnce) {
  const int64_t now = 1'000'000;
  std::vector<domain::ValidSecret> valid;
  for (int i = 0; i < 7; ++i) valid.push_back({"s" + std::to_string(i), now + 6 * 86400});
  const auto plan = domain::PlanRotation(valid, now, 7, 5);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].secret_id, "s5");
  EXPECT_EQ(plan[0].expires_at_epoch, now);
  EXPECT_EQ(plan[1].secret_id, "s6");
}

TEST(Rotation, WithZeroGraceEndsThePreviousSecretNow) {
  const auto plan = domain::PlanRotation({{"a", 5000}}, 1000, 0, 5);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].expires_at_epoch, 1000);
}

TEST(SecretListState, NamesRevokedExpiredGraceAndActive) {
  domain::SecretInfo s;
  EXPECT_EQ(domain::SecretListState(s), "active");
  s.superseded_at = "2026-01-01T00:00:00Z";
  EXPECT_EQ(domain::SecretListState(s), "grace");
  s.expired = true;
  EXPECT_EQ(domain::SecretListState(s), "expired");
  s.revoked_at = "2026-01-02T00:00:00Z";
  EXPECT_EQ(domain::SecretListState(s), "revoked");
}

TEST(DeliveryState, IsDeliveredOnlyWhenPackageAndPasswordArrived) {
  domain::Delivery d;
  d.package_state = "built";
  d.sms_state = "queued";
  d.email_state = "not_applicable";
  EXPECT_EQ(domain::OverallDeliveryState(d), "in_progress");
  d.package_state = "downloaded";
  EXPECT_EQ(domain::OverallDeliveryState(d), "in_progress");
  d.sms_state = "delivered";
  EXPECT_EQ(domain::OverallDeliveryState(d), "delivered");
  EXPECT_TRUE(domain::DeliveryCompleted(d));
  d.sms_state = "undelivered";
  EXPECT_EQ(domain::OverallDeliveryState(d), "failed");
  d.sms_state = "queued";
  d.package_state = "expired";
  EXPECT_EQ(domain::OverallDeliveryState(d), "expired");
  d.superseded_by = "x";
  EXPECT_EQ(domain::OverallDeliveryState(d), "superseded");
}

package::PackageFacts Facts() {
  return {"6f1c8a52-0d0e-4b8e-9a4f-1e2d3c4b5a69",
          "Kommune \"Portal\" <Min side>",
          "production",
          "client_secret_basic",
          "2027-11-26T10:00:00Z",
          EnvironmentEndpoints{"https://idporten.no",
                               "https://idporten.no/.well-known/openid-configuration",
                               "https://idporten.no/token"}};
}

TEST(Templates, CredentialsJsonHoldsEveryFieldTheClientNeeds) {
  const crypto::SecretString secret("s3cr3t\"with\\quote");
  const package::PackageContents c = package::RenderPackage(Facts(), secret);
  Poco::JSON::Parser parser;
  auto o = parser.parse(c.credentials_json.reveal()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("client_id"), "6f1c8a52-0d0e-4b8e-9a4f-1e2d3c4b5a69");
  EXPECT_EQ(o->getValue<std::string>("client_secret"), "s3cr3t\"with\\quote");
  EXPECT_EQ(o->getValue<std::string>("environment"), "production");
  EXPECT_EQ(o->getValue<std::string>("issuer"), "https://idporten.no");
  EXPECT_EQ(o->getValue<std::string>("well_known_url"),
            "https://idporten.no/.well-known/openid-configuration");
  EXPECT_EQ(o->getValue<std::string>("token_endpoint"), "https://idporten.no/token");
  EXPECT_EQ(o->getValue<std::string>("token_endpoint_auth_method"), "client_secret_basic");
  EXPECT_EQ(o->getValue<std::string>("client_secret_expires_at"), "2027-11-26T10:00:00Z");
}

TEST(Templates, ReadmesExplainTheWellKnownEndpointInBothLanguagesWithoutTheSecret) {
  const crypto::SecretString secret("the-secret-value");
  const package::PackageContents c = package::RenderPackage(Facts(), secret);
  for (const std::string* text : {&c.readme_en.reveal(), &c.readme_no.reveal()}) {
    EXPECT_NE(text->find("https://idporten.no/.well-known/openid-configuration"),
              std::string::npos);
    EXPECT_NE(text->find("6f1c8a52-0d0e-4b8e-9a4f-1e2d3c4b5a69"), std::string::npos);
    // Plain text: no HTML escaping of the client name.
    EXPECT_NE(text->find("Kommune \"Portal\" <Min side>"), std::string::npos);
    EXPECT_EQ(text->find("the-secret-value"), std::string::npos);
  }
  EXPECT_NE(c.readme_en.reveal().find("did not expect"), std::string::npos);
  EXPECT_NE(c.readme_no.reveal().find("ikke ventet"), std::string::npos);
}

TEST(Templates, TheSmsCarriesThePasswordAndNothingElseSecret) {
  const crypto::SecretString sms = package::Render(
      "sms.txt.mustache",
      {{"client_name", "Portal"}, {"environment", "production"}, {"zip_password", "abcde-fghjk"}});
  EXPECT_NE(sms.reveal().find("abcde-fghjk"), std::string::npos);
  EXPECT_LE(sms.reveal().size(), 320u);  // two SMS segments at most
}

TEST(Templates, TheEmailNeverMentionsThePassword) {
  const crypto::SecretString body =
      package::Render("email_body.txt.mustache", {{"client_name", "Portal"},
                                                  {"client_id", "c1"},
                                                  {"environment", "production"},
                                                  {"attachment_name", "credentials.zip"},
                                                  {"zip_password", "abcde-fghjk"}});
  EXPECT_EQ(body.reveal().find("abcde-fghjk"), std::string::npos);
  EXPECT_NE(body.reveal().find("credentials.zip"), std::string::npos);
}

TEST(Templates, AnUnknownTemplateIsAnInternalError) {
  EXPECT_THROW(package::Render("nope.mustache", {}), AppError);
}

TEST(ZipPackage, WritesAnAesEncryptedZipThatNeverHoldsThePlaintext) {
  std::vector<package::ZipEntry> entries;
  entries.push_back(
      {"credentials.json", crypto::SecretString("{\"client_secret\":\"PLAINTEXT-MARKER-123\"}")});
  const crypto::SecretString password("abcde-fghjk-mnpqr-stuvw-xyz23");
  const std::string zip = package::BuildEncryptedZip(entries, password);
  ASSERT_GT(zip.size(), 30u);
  EXPECT_EQ(zip.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(zip.find("PLAINTEXT-MARKER-123"), std::string::npos);
  EXPECT_EQ(zip.find("abcde-fghjk"), std::string::npos);
  // Local file header: general purpose flag bit 0 (encrypted), method 99 (WinZip AES).
  EXPECT_EQ(static_cast<unsigned char>(zip[6]) & 1, 1);
  EXPECT_EQ(static_cast<unsigned char>(zip[8]), 99);
  // The AES extra field (0x9901) names AES-256 (strength 3).
  const auto extra = zip.find(std::string("\x01\x99", 2));
  ASSERT_NE(extra, std::string::npos);
  EXPECT_EQ(static_cast<unsigned char>(zip[extra + 8]), 3);
}

}  // namespace
}  // namespace onboard
