#pragma once

// An operator's webhook subscription to every event, with the verifying Node.js receiver
// behind it (webhook_receiver.hpp): for tests outside the notification suite that must see
// an event type arrive, signed, at a real receiver (issue #18, "every event type arrives").

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "delivery_rig.hpp"
#include "e2e_shared_suite.hpp"
#include "evidence.hpp"
#include "test_support.hpp"
#include "webhook_receiver.hpp"

namespace onboard::testsupport {

/// What an onboard-api and an onboard-courier need to deliver webhooks to a receiver on
/// loopback over plain http, quickly (the production defaults refuse both).
inline std::map<std::string, std::string> LoopbackWebhookEnv() {
  return {{"ONBOARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"},
          {"ONBOARD_WEBHOOKS_ALLOW_HTTP", "true"},
          {"ONBOARD_WEBHOOKS_RETRY_BASE_MS", "200"},
          {"ONBOARD_WEBHOOKS_RETRY_MAX_MS", "1000"},
          {"ONBOARD_NOTIFY_DISPATCH_INTERVAL_MS", "100"}};
}

/// Base of a suite sharing one DeliveryRig whose API delivers webhooks to receivers on
/// loopback (LoopbackWebhookEnv), for the suites that watch events arrive.
template <class Suite>
class LoopbackWebhookRigSuite : public SharedRigSuite<Suite, DeliveryRig> {
 public:
  static std::unique_ptr<DeliveryRig> StartRig() {
    return std::make_unique<DeliveryRig>(LoopbackWebhookEnv());
  }
};

class CatchAllWebhook {
 public:
  /// Subscribes `events: ["*"]` with the operator token `operator_secret` through `http`
  /// and starts the receiver; throws when either is refused.
  CatchAllWebhook(HttpClient& http, const std::string& operator_secret)
      : port_(FreeLoopbackPort()) {
    std::remove(WebhookReceiver::LogPath(port_).c_str());
    const HttpResponse r = http.Request("POST", "/v1/webhooks", Bearer(operator_secret),
                                        R"({"url":"http://127.0.0.1:)" + std::to_string(port_) +
                                            R"(/all","events":["*"],"description":"every event"})");
    if (r.status != 201 || !r.json)
      throw std::runtime_error("the catch-all subscription was refused: " + r.Describe());
    secret_ = r.json->getValue<std::string>("secret");
    evidence::RecordSecret(secret_);
    receiver_ = std::make_unique<WebhookReceiver>(port_, secret_);
  }

  /// The deliveries of event type `type` received so far whose signature verified.
  std::vector<Poco::JSON::Object::Ptr> Verified(const std::string& type) const {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const auto& line : receiver_->Received()) {
      if (line->optValue<bool>("verified", false) &&
          line->optValue<std::string>("type", "") == type)
        out.push_back(line);
    }
    return out;
  }
  /// Every request the receiver got, verified or not (for failure messages).
  std::string Describe() const {
    std::string text;
    for (const auto& line : receiver_->Received())
      text += "\n  " + line->optValue<std::string>("type", "?") +
              (line->optValue<bool>("verified", false) ? "" : " (NOT verified)");
    return text.empty() ? " nothing" : text;
  }
  const std::string& secret() const { return secret_; }

 private:
  int port_;
  std::string secret_;
  std::unique_ptr<WebhookReceiver> receiver_;
};

}  // namespace onboard::testsupport
