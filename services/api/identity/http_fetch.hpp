#pragma once

#include <memory>
#include <string>

#include "issuer_keys.hpp"

/// Fetching documents of other issuers (JWK Sets, OpenID discovery) with libcurl.
namespace onboard::identity {

struct FetchOptions {
  int timeout_ms = 3000;
  int connect_timeout_ms = 2000;
  long max_bytes = 1 << 20;
};

/// GETs `url` (https, or http to a loopback address) and returns the body of a 200.
/// Throws std::runtime_error with the URL and the cause otherwise. Thread-safe.
std::string HttpGet(const std::string& url, const FetchOptions& options);

/// POSTs a form to `url` with optional HTTP Basic credentials and returns status and body.
/// Throws std::runtime_error when no answer arrives. The body and credentials are never
/// part of an error message.
struct HttpAnswer {
  long status = 0;
  std::string body;
};
HttpAnswer HttpPostForm(const std::string& url, const std::string& form,
                        const std::string& basic_user, const std::string& basic_password,
                        const FetchOptions& options);

/// A JWKS read from a URL with libcurl.
class UrlJwksSource : public domain::JwksSource {
 public:
  UrlJwksSource(std::string url, FetchOptions options) : url_(std::move(url)), options_(options) {}
  std::string Fetch() override { return HttpGet(url_, options_); }

 private:
  std::string url_;
  FetchOptions options_;
};

/// A JWKS read from a file on every fetch (an issuer whose keys are distributed by hand).
class FileJwksSource : public domain::JwksSource {
 public:
  explicit FileJwksSource(std::string path) : path_(std::move(path)) {}
  std::string Fetch() override;

 private:
  std::string path_;
};

/// curl_global_init, once per process before any thread fetches. Throws on failure.
void GlobalInit();

/// True for an https URL, or an http URL whose host is 127.0.0.1, [::1] or localhost.
bool IsAllowedFetchUrl(const std::string& url);

}  // namespace onboard::identity
