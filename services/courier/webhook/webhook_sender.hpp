#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

#include "c_handle.hpp"
#include "config.hpp"

namespace onboard::courier {

/// What one webhook POST came to.
struct WebhookResult {
  std::optional<int> status;  ///< HTTP status when an answer came
  int latency_ms = 0;
  std::string error_code;      ///< "" on an answer; timeout, connect, target_not_allowed, ...
  std::string error;           ///< never holds the body or a header value
  bool refused = false;        ///< the target failed the SSRF check: do not retry
  std::size_t body_bytes = 0;  ///< of the answer's body taken in (at most 4 KiB, then hung up)
};

/// POSTs webhook deliveries with libcurl under the SSRF rules: http(s) only (https unless
/// webhooks.allow_http), the host resolved here and every address checked (no loopback,
/// private, link-local, ... unless webhooks.allow_private_targets) and the connection pinned
/// to the checked address (CURLOPT_RESOLVE, so a second lookup cannot rebind it), no
/// redirects, no proxy, at most 4 KiB of the response read, webhooks.timeout_ms in all.
/// Owns one curl handle: one sender per thread.
class WebhookSender {
 public:
  explicit WebhookSender(const WebhooksConfig& config);
  WebhookResult Post(const std::string& url, const std::string& body, const std::string& webhook_id,
                     int64_t timestamp, const std::string& signature);

 private:
  WebhooksConfig config_;
  CHandle<CURL, curl_easy_cleanup> curl_;
};

}  // namespace onboard::courier
