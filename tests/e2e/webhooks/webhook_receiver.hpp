#pragma once

// The webhook receiver of the notification tests (issue #18): tests/e2e/webhooks/receiver.js
// on Node.js, verifying every delivery with the Standard Webhooks reference library (npm
// `standardwebhooks`, pinned in ops/node) and writing one JSON line per request it got. A
// missing node or library throws (the test fails, never skips).

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "client_fixtures.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

/// The Node.js receiver on 127.0.0.1:`port`: one JSON line per request, {webhook_id, method,
/// path, verified, error?, id, type, organisation, client_id, body, status}. Modes: see
/// receiver.js ("ok", "fail:N", "gone", "slow:MS", "redirect", "endless").
class WebhookReceiver {
 public:
  WebhookReceiver(int port, const std::string& secret, const std::string& mode = "ok")
      : port_(port) {
    const auto node = FindOnPath("node");
    if (!node) throw std::runtime_error("node is not on PATH (apt-get install nodejs)");
    const char* modules_env = std::getenv("ONBOARD_NODE_MODULES");
    const std::string modules = modules_env == nullptr ? "" : modules_env;
    if (modules.empty() || !std::ifstream(modules + "/standardwebhooks/package.json").good())
      throw std::runtime_error("standardwebhooks is not installed in '" + modules +
                               "' (ops/install-deps installs ops/node into var/node)");
    const char* source = std::getenv("ONBOARD_SOURCE_DIR");
    const std::string script =
        std::string(source == nullptr ? "." : source) + "/tests/e2e/webhooks/receiver.js";
    process_ = std::make_unique<ChildProcess>(
        "webhook-receiver",
        std::vector<std::string>{*node, script, std::to_string(port), secret, LogPath(port), mode},
        std::map<std::string, std::string>{{"NODE_PATH", modules}});
    if (!WaitUntil([&] { return process_->log().find("receiver listening") != std::string::npos; },
                   std::chrono::seconds(10)))
      throw std::runtime_error("the receiver did not start: " + process_->log());
  }
  ~WebhookReceiver() { process_->Terminate(); }

  static std::string LogPath(int port) {
    return "/tmp/onboard-webhook-receiver-" + std::to_string(port) + ".jsonl";
  }
  /// Every request received so far.
  std::vector<Poco::JSON::Object::Ptr> Received() const { return ReceivedAt(port_); }

  static std::vector<Poco::JSON::Object::Ptr> ReceivedAt(int port) {
    std::vector<Poco::JSON::Object::Ptr> out;
    std::ifstream in(LogPath(port));
    std::string line;
    Poco::JSON::Parser parser;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
      parser.reset();
    }
    return out;
  }

 private:
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace onboard::testsupport
