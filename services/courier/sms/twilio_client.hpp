#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "c_handle.hpp"
#include "config.hpp"
#include "courier.hpp"
#include "crypto.hpp"

namespace onboard::courier {

using CurlPtr = CHandle<CURL, curl_easy_cleanup>;

/// Result of looking a message up at the provider.
struct LookupResult {
  enum class Outcome {
    kFound,     ///< `sid`/`status` name the message
    kNotFound,  ///< every page searched: it was never accepted
    kFailed,    ///< the lookup itself failed (`failure`): the question stays open
  };
  Outcome outcome = Outcome::kFailed;
  std::string sid;
  std::string status;
  int scanned = 0;  ///< messages to that number looked at
  domain::SendResult failure;
};

/// Client of the Twilio Programmable Messaging API (2010-04-01) over libcurl:
/// send (`POST .../Messages.json`), fetch (`GET .../Messages/{Sid}.json`), find a message an
/// attempt with unknown outcome may have sent (`GET .../Messages.json?To=&DateSent>=`) and
/// redact (`POST .../Messages/{Sid}.json` with an empty Body).
///
/// Never logs or returns a message body, the auth token or the Authorization header.
/// One easy handle (kept connections) per client: NOT thread-safe, use one per thread.
/// curl_global_init must have been called.
class TwilioClient {
 public:
  /// Throws AppError(kInternal) if curl cannot make a handle.
  explicit TwilioClient(const SmsConfig& config);

  /// Sends `body` to `to`. `status_callback` may be empty (no StatusCallback field).
  domain::SendResult Send(const std::string& to, const crypto::SecretString& body,
                          const std::string& status_callback);

  /// Looks for a message to `to` whose body is exactly `body`, sent at or after `since`
  /// (DateSent>= the UTC time, then matched in memory).
  LookupResult FindSent(const std::string& to, const crypto::SecretString& body,
                        domain::SystemTime since);

  /// The provider's current status of message `sid` (`result.status`), or the error.
  domain::SendResult Fetch(const std::string& sid);

  /// Empties the body of message `sid` at the provider.
  domain::SendResult Redact(const std::string& sid);

  /// The account's Messages.json URL.
  std::string MessagesUrl() const;
  /// The first listing page FindSent requests: To, DateSent> and PageSize.
  std::string ListUrl(const std::string& to, domain::SystemTime since);

 private:
  struct Response {
    CURLcode code = CURLE_OK;
    long status = 0;
    bool request_sent = false;  ///< bytes of the request reached the socket
    std::string body;           ///< wiped by the destructor (listings hold message bodies)
    std::optional<std::chrono::milliseconds> retry_after;
    std::string curl_error;
    ~Response() { crypto::Cleanse(body); }
  };

  /// Performs GET (post_fields nullopt) or a form POST; every curl return checked.
  void Perform(const std::string& url, const std::string* post_fields, Response& out);
  /// Outcome for anything but a 2xx (`may_have_acted`: a 5xx or a timeout after
  /// sending leaves it open whether the provider acted).
  domain::SendResult Failure(const Response& r, bool may_have_acted) const;
  std::string Escape(std::string_view text);

  SmsConfig config_;
  std::string user_;
  std::string password_;
  CurlPtr curl_;
};

/// Parses Twilio's error document `{"code":21211,"message":"...","more_info":"...","status":400}`
/// into code and message ("" when absent or not JSON).
void ParseTwilioError(const std::string& body, std::string& code, std::string& message,
                      std::string& more_info);

/// Formats a time as Twilio's DateSent filter takes it (ISO 8601 UTC, seconds).
std::string IsoUtc(domain::SystemTime t);

}  // namespace onboard::courier
