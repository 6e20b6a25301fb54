// Contract test: the courier's SMS requests (send, look-up, fetch, redact) against Prism
// serving Twilio's own OpenAPI document with request validation turned into errors
// (`prism mock --errors`), so a request the document does not allow fails the test.

#include <curl/curl.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
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

// The violations Prism reports about the request (any location but "response"), from the
// sl-violations header or a 422 problem body.
std::vector<std::string> RequestViolations(const std::string& violations_header,
                                           const std::string& body) {
  std::vector<std::string> out;
  auto collect = [&](const std::string& text, bool in_body) {
    try {
      Poco::JSON::Parser parser;
      auto v = parser.parse(text);
      Poco::JSON::Array::Ptr arr;
      if (in_body) {
        auto o = v.extract<Poco::JSON::Object::Ptr>();
        arr = o->getArray("validation");
      } else {
        arr = v.extract<Poco::JSON::Array::Ptr>();
      }
      for (std::size_t i = 0; arr && i < arr->size(); ++i) {
        auto item = arr->getObject(static_cast<unsigned>(i));
        auto location = item->getArray("location");
        const std::string where =
            location && location->size() > 0 ? location->getElement<std::string>(0) : "";
        if (where != "response") out.push_back(item->optValue<std::string>("message", where));
      }
    } catch (const Poco::Exception&) {
    }
  };
  if (!violations_header.empty()) collect(violations_header, false);
  if (body.find("\"validation\"") != std::string::npos) collect(body, true);
  return out;
}

std::string TwilioSpec() {
  const char* env = std::getenv("ONBOARD_TWILIO_SPEC");
  std::string path =
      env != nullptr && *env != '\0'
          ? env
          // ops/install-deps installs it with the pinned npm package @twilio-alpha/mcp.
          : "var/node/node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json";
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
      problem_ =
          "Twilio's OpenAPI document is missing: set ONBOARD_TWILIO_SPEC (looked at " + spec + ")";
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
        "prism",
        std::vector<std::string>{prism, "mock", "--host", "127.0.0.1", "--port",
                                 std::to_string(port_), "--errors", "--dynamic=false", spec},
        std::map<std::string, std::string>{});
    if (!testsupport::WaitUntil(
            [] { return testsupport::PortAccepts(port_) || !prism_->running(); }, 120s, 100ms) ||
        !prism_->running()) {
      problem_ = "prism did not start listening on port " + std::to_string(port_) +
                 "; its output:\n" + prism_->log();
    }
  }
  static void TearDownTestSuite() {
    prism_.reset();
    curl_global_cleanup();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(problem_.empty()) << problem_; }
  void TearDown() override {
    if (HasFailure() && prism_)
      std::cerr << "---- prism output ----\n" << prism_->log() << "----\n";
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
  const auto r = client.Send(
      "+4791234567", crypto::SecretString("Passordet: ABCD-EFGH-JKLM"),
      "http://127.0.0.1:8080/v1/callbacks/sms?delivery=5f0b5c3e-8a43-4a51-9a4e-2d7a1a3c9b10");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted)
      << r.http_status << " " << r.error_code << " " << r.error_message;
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.provider_ref.rfind("SM", 0), 0u) << r.provider_ref;
}

TEST_F(TwilioContract, SendingThroughAMessagingServiceIsValidToo) {
  SmsConfig c = Config();
  c.from.clear();
  c.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  TwilioClient client(c);
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD"), "");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted)
      << r.http_status << " " << r.error_code << " " << r.error_message;
}

TEST_F(TwilioContract, AuthenticatingWithAnApiKeyPairIsValid) {
  SmsConfig c = Config();
  c.api_key_sid = "SK0123456789abcdef0123456789abcdef";
  c.api_key_secret = "key-secret";
  TwilioClient client(c);
  const auto r = client.Send("+4791234567", crypto::SecretString("Passordet: ABCD"), "");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted)
      << r.http_status << " " << r.error_code << " " << r.error_message;
}

// Prism's answer to a listing is the document's own example, which itself violates the
// document (relative URIs where it declares format "uri"), so with --errors Prism answers 500
// with only response violations. What the courier is responsible for is the request: its
// exact first-page URL must raise no request violation.
TEST_F(TwilioContract, LookingUpASentMessageByRecipientAndDateIsAValidListRequest) {
  TwilioClient client(Config());
  const std::string url =
      client.ListUrl("+4791234567", std::chrono::system_clock::now() - std::chrono::hours(1));
  const std::string prefix = "http://127.0.0.1:" + std::to_string(port_);
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, url.substr(prefix.size()),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::HTTPBasicCredentials(kAccount, "contract-test-auth-token").authenticate(request);
  request.set("Accept", "application/json");
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string violations = response.get("sl-violations", "");
  EXPECT_EQ(RequestViolations(violations, body), std::vector<std::string>{})
      << violations << " " << body;
  EXPECT_TRUE(response.getStatus() == 200 || response.getStatus() == 500)
      << response.getStatus() << " " << body;
  // The same request through the client (it must not crash on Prism's answer).
  client.FindSent("+4791234567", crypto::SecretString("x"), std::chrono::system_clock::now());
}

// A listing the document forbids (an account sid that is not AC + 32 hex) is reported as a
// request violation: the check above can fail.
TEST_F(TwilioContract, PrismReportsAListingOutsideTheDocumentAsARequestViolation) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                 "/2010-04-01/Accounts/AC123/Messages.json?To=%2B4791234567",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::HTTPBasicCredentials(kAccount, "contract-test-auth-token").authenticate(request);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_GE(static_cast<int>(response.getStatus()), 400) << body;
  EXPECT_FALSE(RequestViolations(response.get("sl-violations", ""), body).empty())
      << response.get("sl-violations", "") << " " << body;
}

TEST_F(TwilioContract, FetchingAMessageIsAValidRequest) {
  TwilioClient client(Config());
  const auto r = client.Fetch("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted)
      << r.http_status << " " << r.error_code << " " << r.error_message;
  EXPECT_FALSE(r.status.empty());
}

TEST_F(TwilioContract, RedactingAMessageIsAValidUpdateRequest) {
  TwilioClient client(Config());
  const auto r = client.Redact("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(r.outcome, domain::SendOutcome::kAccepted)
      << r.http_status << " " << r.error_code << " " << r.error_message;
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
