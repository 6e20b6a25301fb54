// courier::WebhookSender against the real receiver (tests/e2e/webhooks/receiver.js, npm
// standardwebhooks): the signature verifies, redirects are not followed, at most 4 KiB of an
// answer is read, webhooks.timeout_ms ends a slow answer, and loopback or private targets are
// refused before any connection, by literal address and by what a name resolves to.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "config.hpp"
#include "notification.hpp"
#include "webhook/webhook_sender.hpp"
#include "webhooks/webhook_receiver.hpp"

namespace onboard::testsupport {
namespace {

using std::chrono::milliseconds;

struct Delivery {
  std::string body = R"({"id":"evt-1","type":"client.created","organisation":"991825827"})";
  std::string id = "0b9f2c6e-5d7a-4d41-9a55-3f1f1b7b2a10";
};

courier::WebhookResult Send(const WebhooksConfig& config, const std::string& url,
                            const std::string& secret, const Delivery& d = {}) {
  const int64_t ts = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  courier::WebhookSender sender(config);
  return sender.Post(url, d.body, d.id, ts, domain::WebhookSignature(secret, d.id, ts, d.body));
}

WebhooksConfig TestConfig() {
  WebhooksConfig c;
  c.allow_http = true;
  c.allow_private_targets = true;
  c.timeout_ms = 5000;
  return c;
}

class WebhookSender : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreeLoopbackPort();
    std::remove(WebhookReceiver::LogPath(port_).c_str());
    secret_ = domain::NewWebhookSecret();
  }
  std::string Url(const std::string& path = "/hooks") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port_ = 0;
  std::string secret_;
};

TEST_F(WebhookSender, ASignedDeliveryVerifiesAtAStandardWebhooksReceiver) {
  WebhookReceiver receiver(port_, secret_);
  const auto r = Send(TestConfig(), Url(), secret_);
  ASSERT_TRUE(r.status) << r.error_code << ": " << r.error;
  EXPECT_EQ(*r.status, 204);
  const auto got = receiver.Received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0]->getValue<bool>("verified")) << got[0]->optValue<std::string>("error", "");
  EXPECT_EQ(got[0]->getValue<std::string>("webhook_id"), Delivery{}.id);
  // Signed under another secret it does not verify: the receiver really checks.
  const auto forged = Send(TestConfig(), Url(), domain::NewWebhookSecret());
  ASSERT_TRUE(forged.status);
  EXPECT_EQ(*forged.status, 400);
}

TEST_F(WebhookSender, RedirectsAreNotFollowed) {
  WebhookReceiver receiver(port_, secret_, "redirect");
  const auto r = Send(TestConfig(), Url(), secret_);
  ASSERT_TRUE(r.status) << r.error_code << ": " << r.error;
  EXPECT_EQ(*r.status, 307);  // not 2xx: a failed delivery, retried later
  std::this_thread::sleep_for(milliseconds(300));
  const auto got = receiver.Received();
  ASSERT_EQ(got.size(), 1u) << "the redirect to /followed was followed";
  EXPECT_EQ(got[0]->getValue<std::string>("path"), "/hooks");
}

TEST_F(WebhookSender, AtMost4KiBOfAnAnswerIsRead) {
  // The receiver answers 200 with a body that never ends: a sender reading it all would sit
  // there until its timeout (5 s here); one that stops after 4 KiB has its status at once.
  WebhookReceiver receiver(port_, secret_, "endless");
  const auto started = std::chrono::steady_clock::now();
  const auto r = Send(TestConfig(), Url(), secret_);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(r.status) << r.error_code << ": " << r.error;
  EXPECT_EQ(*r.status, 200);
  EXPECT_TRUE(r.error_code.empty()) << r.error_code;
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_LE(r.body_bytes, 4096u);
  std::cerr << "figure: endless 200 answer ended after "
            << std::chrono::duration_cast<milliseconds>(took).count() << " ms, " << r.body_bytes
            << " body bytes taken in\n";
}

TEST_F(WebhookSender, TheTimeoutIsConfigurableAndTenSecondsByDefault) {
  EXPECT_EQ(WebhooksConfig{}.timeout_ms, 10000);
  WebhookReceiver receiver(port_, secret_, "slow:4000");
  WebhooksConfig config = TestConfig();
  config.timeout_ms = 500;
  const auto r = Send(config, Url(), secret_);
  EXPECT_FALSE(r.status);
  EXPECT_EQ(r.error_code, "timeout") << r.error;
  EXPECT_GE(r.latency_ms, 450);
  EXPECT_LT(r.latency_ms, 2000);
  EXPECT_FALSE(r.refused);  // a timeout is retried
  std::cerr << "figure: webhooks.timeout_ms=500 ended a 4 s answer after " << r.latency_ms
            << " ms\n";
}

TEST_F(WebhookSender, LoopbackAndPrivateTargetsAreRefusedBeforeAnyConnection) {
  WebhookReceiver receiver(port_, secret_);
  WebhooksConfig strict = TestConfig();
  strict.allow_private_targets = false;
  // A literal loopback address, and this machine's host name, which resolves to loopback:
  // the sender checks what a name resolves to, not only the URL's text.
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* res = nullptr;
  ASSERT_EQ(getaddrinfo(host, nullptr, &hints, &res), 0) << "host name " << host << " resolves";
  const std::string resolved = [&] {
    char text[64] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, text, sizeof text);
    return std::string(text);
  }();
  freeaddrinfo(res);
  ASSERT_TRUE(domain::IsNonPublicAddress(resolved))
      << "this test needs a host name that resolves to a loopback address; " << host << " is "
      << resolved;
  for (const std::string& url : std::vector<std::string>{
           Url(), "http://" + std::string(host) + ":" + std::to_string(port_) + "/hooks",
           "http://[::1]:" + std::to_string(port_) + "/",
           "http://10.1.2.3:" + std::to_string(port_), "http://169.254.169.254/latest/meta-data"}) {
    const auto r = Send(strict, url, secret_);
    EXPECT_TRUE(r.refused) << url;
    EXPECT_EQ(r.error_code, "target_not_allowed") << url;
    EXPECT_FALSE(r.status) << url;
  }
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_TRUE(receiver.Received().empty());
  // The same receiver is reached once private targets are allowed (the tests' setting).
  EXPECT_TRUE(Send(TestConfig(), Url(), secret_).status);
}

}  // namespace
}  // namespace onboard::testsupport
