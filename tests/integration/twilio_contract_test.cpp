// Contract test: the courier's SMS requests (send, look-up, fetch, redact) against Prism
// serving Twilio's own OpenAPI document with request validation turned into errors
// (`prism mock --errors`), so a request the document does not allow fails the test.

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "child_process.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "sms/twilio_client.hpp"
#include "test_support.hpp"

namespace onboard::courier {
namespace {

using namespace std::chrono_literals;
using testsupport::ChildProcess;

constexpr const char* kAccount = "AC0123456789abcdef0123456789abcdef";

std::string TwilioSpec() {
  const char* env = std::getenv("ONBOARD_TWILIO_SPEC");
  std::string path = env != nullptr && *env != '\0' ? env : "../shared/contracts/twilio_api_v2010.json";
  if (!std::filesystem::path(path).is_absolute()) {
    const char* root = std::getenv("ONBOARD_SOURCE_DIR");
    path = (std::filesystem::path(root != nullptr ? root : ".") / path).lexically_normal().string();
  }
  return path;
}

class TwilioContract : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string spec = TwilioSpec();
    if (!std::filesystem::exists(spec)) {
      problem_ = "Twilio's OpenAPI document is missing: set ONBOARD_TWILIO_SPEC (looked at " + spec + ")";
      return;
    }
    const char* prism_env = std::getenv("ONBOARD_PRISM_BIN");
    const std::string prism = prism_env != nullptr ? prism_env : "";
    if (prism.empty() || !std::filesystem::exists(prism)) {
      problem_ = "prism (npm @stoplight/prism-cli) is missing: ONBOARD_PRISM_BIN='" + prism +
                 "' (ops/install-deps installs it into var/node)";
      return;
    }
    port_ = testsupport::FreeLoopbackPort();
    prism_ = std::make_unique<ChildProcess>(
        "prism", std::vector<std::string>{prism, "mock", "--host", "127.0.0.1", "--port", std::to_string(port_),
                                          "--errors", "--dynamic=false", spec},
        std::map<std::string, std::string>{});
    if (!testsupport::WaitUntil([] { return testsupport::PortAccepts(port_) || !prism_->running(); }, 120s, 100ms) ||
        !prism_->running()) {
      problem_ = "prism did not start listening on port " + std::to_string(port_) + "; its output:\n" + prism_->log();
    }
  }
  static void TearDownTestSuite() {
    prism_.reset();
    curl_global_cleanup();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(problem_.empty()) << problem_; }
  void TearDown() override {
    if (HasFailure() && prism_) std::cerr << "---- prism output ----\n" << prism_->log() << "----\n";
  }

  static SmsConfig Config() {
    SmsConfig c;
    c.base_url = "http://127.0.0.1:" + std::to_string(port_);
    c.account_sid = kAccount;
    c.auth_token = "contract-test-auth-token";
    c.from = "+15005550006";
    c.timeout_ms = 20000;
    return c;
  }

  inline static std::string problem_;
  inline static int port_ = 0;
  inline static std::unique_ptr<ChildProcess> prism_;
};

TEST_F(TwilioContract, SendingAnSmsIsAValidCreateMessageRequest) {
  TwilioClient client(Config());
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD-EFGH-JKLM"),
                             "http://127.0.0.1:8080/v1/callbacks/sms?delivery=5f0b5c3e-8a43-4a51-9a4e-2d7a1a3c9b10");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted) << r.http_status << " " << r.error_code << " " << r.error_message;
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.provider_ref.rfind("SM", 0), 0u) << r.provider_ref;
}

TEST_F(TwilioContract, SendingThroughAMessagingServiceIsValidToo) {
  SmsConfig c = Config();
  c.from.clear();
  c.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  TwilioClient client(c);
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD"), "");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted) << r.http_status << " " << r.error_code << " " << r.error_message;
}

TEST_F(TwilioContract, AuthenticatingWithAnApiKeyPairIsValid) {
  SmsConfig c = Config();
  c.api_key_sid = "SK0123456789abcdef0123456789abcdef";
  c.api_key_secret = "key-secret";
  TwilioClient client(c);
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD"), "");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted) << r.http_status << " " << r.error_code << " " << r.error_message;
}

TEST_F(TwilioContract, LookingUpASentMessageByRecipientAndDateIsAValidListRequest) {
  TwilioClient client(Config());
  const auto r = client.FindSent("+4791234567", crypto::SecretString("Passordet: ABCD-EFGH-JKLM"),
                                 std::chrono::system_clock::now() - std::chrono::hours(1));
  EXPECT_NE(r.outcome, LookupResult::Outcome::kFailed)
      << r.failure.http_status << " " << r.failure.error_code << " " << r.failure.error_message;
}

TEST_F(TwilioContract, FetchingAMessageIsAValidRequest) {
  TwilioClient client(Config());
  const auto r = client.Fetch("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted) << r.http_status << " " << r.error_code << " " << r.error_message;
  EXPECT_FALSE(r.status.empty());
}

TEST_F(TwilioContract, RedactingAMessageIsAValidUpdateRequest) {
  TwilioClient client(Config());
  const auto r = client.Redact("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted) << r.http_status << " " << r.error_code << " " << r.error_message;
}

// The check above can fail: a request the document forbids is refused by Prism.
TEST_F(TwilioContract, PrismRefusesARequestTheDocumentForbids) {
  SmsConfig c = Config();
  c.account_sid = "AC-not-a-valid-account-sid";
  TwilioClient client(c);
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD"), "");
  EXPECT_NE(r.outcome, domain::SendOutcome::kAccepted);
  EXPECT_GE(r.http_status, 400);
}

TEST_F(TwilioContract, PrismRefusesRedactingSomethingThatIsNotAMessageSid) {
  TwilioClient client(Config());
  const auto r = client.Redact("not-a-message-sid");
  EXPECT_NE(r.outcome, domain::SendOutcome::kAccepted);
  EXPECT_GE(r.http_status, 400);
}

}  // namespace
}  // namespace onboard::courier
