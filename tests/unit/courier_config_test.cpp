#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "config.hpp"
#include "config_fixtures.hpp"

namespace onboard {
namespace {

using Env = testsupport::ConfigEnv;

Env Base(Env env = {}) {
  env.emplace("ONBOARD_DATABASE_URL", testsupport::kConfigDatabaseUrl);
  return env;
}

std::vector<std::string> Problems(const Env& env) { return testsupport::ConfigProblems(env); }

bool Mentions(const std::vector<std::string>& problems, const std::string& text) {
  return testsupport::AnyMentions(problems, text);
}

TEST(CourierConfig, UsesTheDocumentedDefaults) {
  const AppConfig c = LoadConfig(nullptr, Base());
  EXPECT_EQ(c.sms.base_url, "https://api.twilio.com");
  EXPECT_EQ(c.sms.timeout_ms, 10000);
  EXPECT_EQ(c.smtp.port, 25);
  EXPECT_EQ(c.smtp.tls, "none");
  EXPECT_EQ(c.courier.batch_size, 10);
  EXPECT_EQ(c.courier.lease_ms, 60000);
  EXPECT_EQ(c.courier.retry_base_ms, 2000);
  EXPECT_EQ(c.courier.deadline_minutes, 1440);
}

TEST(CourierConfig, ReadsSmsSettingsAndDropsATrailingSlash) {
  const AppConfig c =
      LoadConfig(nullptr, Base({{"ONBOARD_SMS_BASE_URL", "http://127.0.0.1:9000/"},
                                {"ONBOARD_SMS_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"},
                                {"ONBOARD_SMS_AUTH_TOKEN", "token"},
                                {"ONBOARD_SMS_FROM", "ONBOARD"}}));
  EXPECT_EQ(c.sms.base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(c.sms.account_sid, "AC0123456789abcdef0123456789abcdef");
  EXPECT_EQ(c.sms.auth_token, "token");
}

TEST(CourierConfig, RejectsSidsThatAreNotPrefixPlus32HexDigits) {
  const auto p =
      Problems(Base({{"ONBOARD_SMS_ACCOUNT_SID", "AC123"},
                     {"ONBOARD_SMS_API_KEY_SID", "AC0123456789abcdef0123456789abcdef"},
                     {"ONBOARD_SMS_API_KEY_SECRET", "s"},
                     {"ONBOARD_SMS_MESSAGING_SERVICE_SID", "MG0123456789abcdef0123456789abcdeZ"}}));
  EXPECT_TRUE(Mentions(p, "ONBOARD_SMS_ACCOUNT_SID")) << ::testing::PrintToString(p);
  EXPECT_TRUE(Mentions(p, "ONBOARD_SMS_API_KEY_SID")) << ::testing::PrintToString(p);
  EXPECT_TRUE(Mentions(p, "ONBOARD_SMS_MESSAGING_SERVICE_SID")) << ::testing::PrintToString(p);
}

TEST(CourierConfig, RequiresTheKeySecretWithAnApiKeySid) {
  EXPECT_TRUE(
      Mentions(Problems(Base({{"ONBOARD_SMS_API_KEY_SID", "SK0123456789abcdef0123456789abcdef"}})),
               "ONBOARD_SMS_API_KEY_SECRET"));
}

TEST(CourierConfig, RejectsAnUnknownTlsModeAndAnSmtpHostWithoutSender) {
  const auto p =
      Problems(Base({{"ONBOARD_SMTP_TLS", "ssl"}, {"ONBOARD_SMTP_HOST", "mail.example.no"}}));
  EXPECT_TRUE(Mentions(p, "ONBOARD_SMTP_TLS")) << ::testing::PrintToString(p);
  EXPECT_TRUE(Mentions(p, "ONBOARD_SMTP_FROM")) << ::testing::PrintToString(p);
}

TEST(CourierConfig, RefusesALeaseShorterThanTwiceTheLongestSend) {
  EXPECT_TRUE(
      Mentions(Problems(Base({{"ONBOARD_COURIER_LEASE_MS", "5000"}})), "ONBOARD_COURIER_LEASE_MS"));
  EXPECT_TRUE(Problems(Base({{"ONBOARD_COURIER_LEASE_MS", "5000"},
                             {"ONBOARD_SMS_TIMEOUT_MS", "1000"},
                             {"ONBOARD_SMS_CONNECT_TIMEOUT_MS", "500"},
                             {"ONBOARD_SMTP_TIMEOUT_MS", "2000"}}))
                  .empty());
}

TEST(CourierConfig, RefusesABackoffCapBelowItsBase) {
  EXPECT_TRUE(Mentions(Problems(Base({{"ONBOARD_COURIER_RETRY_BASE_MS", "5000"},
                                      {"ONBOARD_COURIER_RETRY_MAX_MS", "100"}})),
                       "ONBOARD_COURIER_RETRY_MAX_MS"));
}

TEST(CourierConfig, ReadsTheAuthTokenFromAFileOnlyItsOwnerMayRead) {
  char path[] = "/tmp/onboard-sms-token-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "file-token\n", 11), 11);
  ::close(fd);
  ::chmod(path, 0600);
  EXPECT_EQ(LoadConfig(nullptr, Base({{"ONBOARD_SMS_AUTH_TOKEN_FILE", path}})).sms.auth_token,
            "file-token");
  ::chmod(path, 0644);
  EXPECT_TRUE(Mentions(Problems(Base({{"ONBOARD_SMS_AUTH_TOKEN_FILE", path}})), "chmod 600"));
  ::unlink(path);
}

}  // namespace
}  // namespace onboard
