#include "twilio_client.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/Timestamp.h>

#include <openssl/crypto.h>

#include <array>
#include <cctype>
#include <cstring>

#include "error.hpp"

namespace onboard::courier {

namespace {

using CurlSlistPtr = CHandle<curl_slist, curl_slist_free_all>;

void Check(CURLcode code, const char* what) {
  if (code != CURLE_OK) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   std::string("curl ") + what + ": " + curl_easy_strerror(code));
  }
}

struct Sink {
  std::string* body;
  std::optional<std::chrono::milliseconds>* retry_after;
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  // Bounded: a provider's answer is small; a listing page a few hundred KiB at most.
  if (sink->body->size() + size * n > (8u << 20)) return 0;
  sink->body->append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (std::size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (match) {
      std::string value(line.substr(kName.size()));
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.pop_back();
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
        value.erase(0, 1);
      int seconds = 0;
      // Retry-After in seconds (an HTTP-date is not used by Twilio); capped at an hour.
      if (Poco::NumberParser::tryParse(value, seconds) && seconds >= 0) {
        *sink->retry_after = std::chrono::milliseconds(std::min(seconds, 3600) * 1000LL);
      }
    }
  }
  return size * n;
}

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::string Member(const Poco::JSON::Object::Ptr& o, const std::string& name) {
  if (!o || !o->has(name) || o->isNull(name)) return {};
  return o->get(name).convert<std::string>();
}

}  // namespace

void ParseTwilioError(const std::string& body, std::string& code, std::string& message,
                      std::string& more_info) {
  auto o = ParseObject(body);
  code = Member(o, "code");
  message = Member(o, "message");
  more_info = Member(o, "more_info");
}

std::string IsoUtc(domain::SystemTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%SZ");
}

TwilioClient::TwilioClient(const SmsConfig& config) : config_(config), curl_(curl_easy_init()) {
  if (!curl_) throw AppError(ErrorCode::kInternal, "internal error", "curl_easy_init failed");
  if (!config_.api_key_sid.empty()) {
    user_ = config_.api_key_sid;
    password_ = config_.api_key_secret;
  } else {
    user_ = config_.account_sid;
    password_ = config_.auth_token;
  }
}

std::string TwilioClient::MessagesUrl() const {
  return config_.base_url + "/2010-04-01/Accounts/" + config_.account_sid + "/Messages.json";
}

std::string TwilioClient::Escape(std::string_view text) {
  CHandle<char, curl_free> out(
      curl_easy_escape(curl_.get(), text.data(), static_cast<int>(text.size())));
  if (!out) throw AppError(ErrorCode::kInternal, "internal error", "curl_easy_escape failed");
  std::string result(out.get());
  OPENSSL_cleanse(out.get(), std::strlen(out.get()));  // may be a message body
  return result;
}

void TwilioClient::Perform(const std::string& url, const std::string* post_fields, Response& out) {
  CURL* c = curl_.get();
  curl_easy_reset(c);  // keeps the connection cache
  Sink sink{&out.body, &out.retry_after};
  Check(curl_easy_setopt(c, CURLOPT_URL, url.c_str()), "CURLOPT_URL");
  Check(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR");
  Check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), "CURLOPT_NOSIGNAL");
  Check(curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC)),
        "CURLOPT_HTTPAUTH");
  Check(curl_easy_setopt(c, CURLOPT_USERNAME, user_.c_str()), "CURLOPT_USERNAME");
  Check(curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str()), "CURLOPT_PASSWORD");
  Check(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms)),
        "CURLOPT_TIMEOUT_MS");
  Check(
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout_ms)),
      "CURLOPT_CONNECTTIMEOUT_MS");
  Check(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteBody), "CURLOPT_WRITEFUNCTION");
  Check(curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink), "CURLOPT_WRITEDATA");
  Check(curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &WriteHeader), "CURLOPT_HEADERFUNCTION");
  Check(curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink), "CURLOPT_HEADERDATA");
  Check(curl_easy_setopt(c, CURLOPT_USERAGENT, "onboard-courier"), "CURLOPT_USERAGENT");
  CurlSlistPtr headers(curl_slist_append(nullptr, "Accept: application/json"));
  if (!headers) throw AppError(ErrorCode::kInternal, "internal error", "curl_slist_append failed");
  Check(curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()), "CURLOPT_HTTPHEADER");
  if (post_fields != nullptr) {
    Check(curl_easy_setopt(c, CURLOPT_POST, 1L), "CURLOPT_POST");
    Check(curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_fields->size())),
          "CURLOPT_POSTFIELDSIZE");
    Check(curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_fields->c_str()), "CURLOPT_POSTFIELDS");
  }
  std::array<char, CURL_ERROR_SIZE> error{};
  Check(curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error.data()), "CURLOPT_ERRORBUFFER");

  out.code = curl_easy_perform(c);
  long request_size = 0;
  Check(curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &request_size), "CURLINFO_REQUEST_SIZE");
  out.request_sent = request_size > 0;
  Check(curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status), "CURLINFO_RESPONSE_CODE");
  if (out.code != CURLE_OK)
    out.curl_error = error[0] != '\0' ? error.data() : curl_easy_strerror(out.code);
  // The options point at our buffers; do not leave them behind in the handle.
  Check(curl_easy_setopt(c, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr)),
        "CURLOPT_ERRORBUFFER");
}

domain::SendResult TwilioClient::Failure(const Response& r, bool may_have_acted) const {
  domain::SendResult out;
  out.http_status = static_cast<int>(r.status);
  if (r.code != CURLE_OK) {
    const bool timeout = r.code == CURLE_OPERATION_TIMEDOUT;
    out.error_code = timeout ? "timeout" : "connect";
    if (r.code != CURLE_COULDNT_CONNECT && r.code != CURLE_COULDNT_RESOLVE_HOST && !timeout)
      out.error_code = "transport";
    out.error_message = r.curl_error;
    // Refused or unresolved connections never carried the request; anything that broke
    // after the request went out may have reached the provider.
    out.outcome = may_have_acted && r.request_sent && r.code != CURLE_COULDNT_CONNECT &&
                          r.code != CURLE_COULDNT_RESOLVE_HOST
                      ? domain::SendOutcome::kUnknown
                      : domain::SendOutcome::kRetryable;
    return out;
  }
  std::string more_info;
  ParseTwilioError(r.body, out.error_code, out.error_message, more_info);
  if (out.error_code.empty()) out.error_code = "http_" + std::to_string(r.status);
  if (out.error_message.empty()) out.error_message = "HTTP " + std::to_string(r.status);
  if (r.status == 429) {
    out.outcome = domain::SendOutcome::kRetryable;
    out.retry_after = r.retry_after;
  } else if (r.status >= 500) {
    // A 5xx may come after the provider created the message.
    out.outcome = may_have_acted ? domain::SendOutcome::kUnknown : domain::SendOutcome::kRetryable;
    out.retry_after = r.retry_after;
  } else if (r.status == 401 || r.status == 403 || r.status == 408 || r.status == 409) {
    // Credentials being rotated or a provider-side conflict: an operator can fix these
    // before the deadline, so they are retried rather than failing every delivery.
    out.outcome = domain::SendOutcome::kRetryable;
  } else {
    out.outcome = domain::SendOutcome::kPermanent;
  }
  return out;
}

domain::SendResult TwilioClient::Send(const std::string& to, const crypto::SecretString& body,
                                      const std::string& status_callback) {
  std::string fields = "To=" + Escape(to);
  if (!config_.messaging_service_sid.empty()) {
    fields += "&MessagingServiceSid=" + Escape(config_.messaging_service_sid);
  } else {
    fields += "&From=" + Escape(config_.from);
  }
  if (!status_callback.empty()) fields += "&StatusCallback=" + Escape(status_callback);
  fields += "&Body=" + Escape(body.reveal());
  crypto::SecretString form(std::move(fields));
  Response r;
  Perform(MessagesUrl(), &form.reveal(), r);
  if (r.code == CURLE_OK && r.status >= 200 && r.status < 300) {
    auto o = ParseObject(r.body);
    domain::SendResult out;
    out.http_status = static_cast<int>(r.status);
    out.provider_ref = Member(o, "sid");
    out.status = Member(o, "status");
    if (out.provider_ref.empty()) {
      // Accepted but unreadable: treat as unknown so the next attempt looks it up.
      out.outcome = domain::SendOutcome::kUnknown;
      out.error_code = "bad_response";
      out.error_message = "2xx answer without a message sid";
      return out;
    }
    out.outcome = domain::SendOutcome::kAccepted;
    return out;
  }
  return Failure(r, true);
}

std::string TwilioClient::ListUrl(const std::string& to, domain::SystemTime since) {
  return MessagesUrl() + "?To=" + Escape(to) + "&" + Escape("DateSent>") + "=" +
         Escape(IsoUtc(since)) + "&PageSize=100";
}

LookupResult TwilioClient::FindSent(const std::string& to, const crypto::SecretString& body,
                                    domain::SystemTime since) {
  LookupResult out;
  std::string url = ListUrl(to, since);
  for (int page = 0; page < 20; ++page) {
    Response r;
    Perform(url, nullptr, r);
    if (r.code != CURLE_OK || r.status < 200 || r.status >= 300) {
      out.outcome = LookupResult::Outcome::kFailed;
      out.failure = Failure(r, false);
      return out;
    }
    auto o = ParseObject(r.body);
    if (!o) {
      out.outcome = LookupResult::Outcome::kFailed;
      out.failure.error_code = "bad_response";
      out.failure.error_message = "message listing is not a JSON object";
      return out;
    }
    auto messages = o->getArray("messages");
    if (messages) {
      for (std::size_t i = 0; i < messages->size(); ++i) {
        auto m = messages->getObject(static_cast<unsigned>(i));
        if (!m) continue;
        ++out.scanned;
        std::string text = Member(m, "body");
        const bool same = crypto::ConstantTimeEqual(text, body.reveal());
        crypto::Cleanse(text);
        if (same && Member(m, "to") == to) {
          out.outcome = LookupResult::Outcome::kFound;
          out.sid = Member(m, "sid");
          out.status = Member(m, "status");
          return out;
        }
      }
    }
    const std::string next = Member(o, "next_page_uri");
    if (next.empty()) {
      out.outcome = LookupResult::Outcome::kNotFound;
      return out;
    }
    url = next.rfind("http", 0) == 0 ? next : config_.base_url + next;
  }
  out.outcome = LookupResult::Outcome::kFailed;
  out.failure.error_code = "too_many_pages";
  out.failure.error_message = "message listing has more than 20 pages";
  return out;
}

domain::SendResult TwilioClient::Fetch(const std::string& sid) {
  Response r;
  Perform(config_.base_url + "/2010-04-01/Accounts/" + config_.account_sid + "/Messages/" +
              Escape(sid) + ".json",
          nullptr, r);
  if (r.code == CURLE_OK && r.status >= 200 && r.status < 300) {
    auto o = ParseObject(r.body);
    domain::SendResult out;
    out.outcome = domain::SendOutcome::kAccepted;
    out.http_status = static_cast<int>(r.status);
    out.provider_ref = Member(o, "sid");
    out.status = Member(o, "status");
    out.error_code = Member(o, "error_code");
    out.error_message = Member(o, "error_message");
    return out;
  }
  return Failure(r, false);
}

domain::SendResult TwilioClient::Redact(const std::string& sid) {
  const std::string fields = "Body=";
  Response r;
  Perform(config_.base_url + "/2010-04-01/Accounts/" + config_.account_sid + "/Messages/" +
              Escape(sid) + ".json",
          &fields, r);
  if (r.code == CURLE_OK && r.status >= 200 && r.status < 300) {
    domain::SendResult out;
    out.outcome = domain::SendOutcome::kAccepted;
    out.http_status = static_cast<int>(r.status);
    out.provider_ref = sid;
    return out;
  }
  // Redacting twice is harmless, so an unknown outcome is simply retried.
  return Failure(r, false);
}

}  // namespace onboard::courier
