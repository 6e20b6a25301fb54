#include "http_fetch.hpp"

#include <curl/curl.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace onboard::identity {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const noexcept { curl_slist_free_all(s); }
};

struct Sink {
  std::string body;
  long max_bytes = 0;
  bool overflow = false;
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t bytes = size * n;
  if (static_cast<long>(sink->body.size() + bytes) > sink->max_bytes) {
    sink->overflow = true;
    return 0;
  }
  sink->body.append(data, bytes);
  return bytes;
}

void Check(CURLcode rc, const char* what) {
  if (rc != CURLE_OK) throw std::runtime_error(std::string(what) + ": " + curl_easy_strerror(rc));
}

std::unique_ptr<CURL, CurlDeleter> Handle(const std::string& url, const FetchOptions& options,
                                          Sink& sink) {
  if (!IsAllowedFetchUrl(url))
    throw std::runtime_error(url + ": only https (or http on a loopback address) is fetched");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  CURL* c = curl.get();
  Check(curl_easy_setopt(c, CURLOPT_URL, url.c_str()), "CURLOPT_URL");
  Check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), "CURLOPT_NOSIGNAL");
  Check(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms)),
        "CURLOPT_TIMEOUT_MS");
  Check(
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms)),
      "CURLOPT_CONNECTTIMEOUT_MS");
  Check(curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L), "CURLOPT_FOLLOWLOCATION");
  Check(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR");
  Check(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect), "CURLOPT_WRITEFUNCTION");
  sink.max_bytes = options.max_bytes;
  Check(curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink), "CURLOPT_WRITEDATA");
  return curl;
}

}  // namespace

void GlobalInit() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw std::runtime_error("curl_global_init failed");
}

bool IsAllowedFetchUrl(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return url.size() > 8;
  for (const char* prefix : {"http://127.0.0.1:", "http://127.0.0.1/", "http://[::1]:",
                             "http://[::1]/", "http://localhost:", "http://localhost/"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string HttpGet(const std::string& url, const FetchOptions& options) {
  Sink sink;
  auto curl = Handle(url, options, sink);
  std::unique_ptr<curl_slist, SlistDeleter> headers(
      curl_slist_append(nullptr, "Accept: application/json, application/jwk-set+json"));
  Check(curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get()), "CURLOPT_HTTPHEADER");
  const CURLcode rc = curl_easy_perform(curl.get());
  if (sink.overflow) throw std::runtime_error(url + ": the answer is larger than allowed");
  if (rc != CURLE_OK) throw std::runtime_error(url + ": " + curl_easy_strerror(rc));
  long status = 0;
  Check(curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE");
  if (status != 200) throw std::runtime_error(url + ": answered HTTP " + std::to_string(status));
  return sink.body;
}

HttpAnswer HttpPostForm(const std::string& url, const std::string& form,
                        const std::string& basic_user, const std::string& basic_password,
                        const FetchOptions& options) {
  Sink sink;
  auto curl = Handle(url, options, sink);
  CURL* c = curl.get();
  std::unique_ptr<curl_slist, SlistDeleter> headers(
      curl_slist_append(nullptr, "Accept: application/json"));
  Check(curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()), "CURLOPT_HTTPHEADER");
  Check(curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str()), "CURLOPT_POSTFIELDS");
  Check(curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size())),
        "CURLOPT_POSTFIELDSIZE");
  if (!basic_user.empty()) {
    Check(curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC), "CURLOPT_HTTPAUTH");
    Check(curl_easy_setopt(c, CURLOPT_USERNAME, basic_user.c_str()), "CURLOPT_USERNAME");
    Check(curl_easy_setopt(c, CURLOPT_PASSWORD, basic_password.c_str()), "CURLOPT_PASSWORD");
  }
  const CURLcode rc = curl_easy_perform(c);
  if (sink.overflow) throw std::runtime_error(url + ": the answer is larger than allowed");
  if (rc != CURLE_OK) throw std::runtime_error(url + ": " + curl_easy_strerror(rc));
  HttpAnswer out;
  Check(curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status), "CURLINFO_RESPONSE_CODE");
  out.body = std::move(sink.body);
  return out;
}

std::string FileJwksSource::Fetch() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path_);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace onboard::identity
