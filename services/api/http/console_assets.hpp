#pragma once

#include <string>

#include "app_services.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// The operator console (issue #16) is a single-page application whose built files are
/// in `console.dir`; onboard-api serves them under /console/ without authentication (the
/// application signs in through /v1/sessions). Every answer carries
/// `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'`,
/// `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.
inline constexpr const char* kConsoleCsp = "default-src 'self'; frame-ancestors 'none'";

/// True for /console and everything under /console/.
bool IsConsolePath(const std::string& path);

/// Answers a /console request: /console redirects to /console/; /console/assets/<file>
/// is a content-hashed bundle (immutable for a year, ETag; 404 when absent); another
/// existing top-level file is sent with `Cache-Control: no-cache` and its ETag; any other
/// path is a client route and gets index.html the same way. A gzip copy (<file>.gz) is
/// sent to browsers that accept gzip. GET and HEAD only (405 otherwise); If-None-Match
/// gives 304. Throws AppError.
void ServeConsole(RequestContext& ctx, const AppConfig& config, const std::string& path);

}  // namespace onboard::http
