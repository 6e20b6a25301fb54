#include "webhook_sender.hpp"

#include <chrono>
#include <vector>

#include "error.hpp"
#include "notification.hpp"
#include "resolve.hpp"

namespace onboard::courier {

namespace {

constexpr std::size_t kMaxResponseBytes = 4096;

struct WebhookBodySink {
  std::size_t kept = 0;
};

// Takes in at most 4 KiB of the answer's body and then hangs up (returning less than was
// offered ends the transfer; the status is known by then). The body itself is not kept: no
// decision depends on it, and it is never logged.
size_t Discard(char*, size_t size, size_t n, void* user) {
  auto* sink = static_cast<WebhookBodySink*>(user);
  const std::size_t offered = size * n;
  if (sink->kept + offered > kMaxResponseBytes) {
    sink->kept = kMaxResponseBytes;
    return 0;
  }
  sink->kept += offered;
  return offered;
}

}  // namespace

WebhookSender::WebhookSender(const WebhooksConfig& config)
    : config_(config), curl_(curl_easy_init()) {
  if (!curl_) throw AppError(ErrorCode::kInternal, "internal error", "curl_easy_init failed");
}

WebhookResult WebhookSender::Post(const std::string& url, const std::string& body,
                                  const std::string& webhook_id, int64_t timestamp,
                                  const std::string& signature) {
  WebhookResult r;
  const domain::TargetCheck check =
      domain::CheckWebhookUrl(url, config_.allow_http, config_.allow_private_targets);
  if (!check.ok()) {
    r.error_code = "target_not_allowed";
    r.error = check.message;
    r.refused = true;
    return r;
  }
  const auto target = domain::ParseWebhookUrl(url);
  const auto addresses = net::ResolveHost(target->host);
  if (addresses.empty()) {
    r.error_code = "dns";
    r.error = "the host name did not resolve";
    return r;
  }
  if (!config_.allow_private_targets) {
    for (const auto& a : addresses) {
      if (domain::IsNonPublicAddress(a)) {
        r.error_code = "target_not_allowed";
        r.error = "the host resolves to a loopback, link-local or private address";
        r.refused = true;
        return r;
      }
    }
  }
  const std::string& pinned = addresses.front();
  const std::string resolve_entry =
      target->host + ":" + std::to_string(target->port) + ":" +
      (pinned.find(':') != std::string::npos ? "[" + pinned + "]" : pinned);
  CHandle<curl_slist, curl_slist_free_all> resolve(
      curl_slist_append(nullptr, resolve_entry.c_str()));
  CHandle<curl_slist, curl_slist_free_all> headers;
  const std::vector<std::string> lines = {
      "Content-Type: application/json",  "User-Agent: onboard-webhooks/1",
      "webhook-id: " + webhook_id,       "webhook-timestamp: " + std::to_string(timestamp),
      "webhook-signature: " + signature, "Expect:"};
  for (const std::string& h : lines) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr)
      throw AppError(ErrorCode::kInternal, "internal error", "curl_slist_append");
    (void)headers.release();
    headers.reset(next);
  }
  CURL* c = curl_.get();
  curl_easy_reset(c);
  WebhookBodySink sink;
  const char* protocols = config_.allow_http ? "http,https" : "https";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  // Read from the socket in pieces of the cap, so no more than that is taken in before the
  // write callback hangs up.
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, static_cast<long>(kMaxResponseBytes));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  const auto started = std::chrono::steady_clock::now();
  const CURLcode rc = curl_easy_perform(c);
  r.latency_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count());
  r.body_bytes = sink.kept;
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status > 0 && (rc == CURLE_OK || rc == CURLE_WRITE_ERROR)) {
    r.status = static_cast<int>(status);
    return r;
  }
  r.error_code = rc == CURLE_OPERATION_TIMEDOUT  ? "timeout"
                 : rc == CURLE_COULDNT_CONNECT   ? "connect"
                 : rc == CURLE_SSL_CONNECT_ERROR ? "tls"
                                                 : "transport";
  r.error = curl_easy_strerror(rc);
  return r;
}

}  // namespace onboard::courier
