#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace onboard::http {

inline constexpr std::string_view kProblemMediaType = "application/problem+json";

/// One RFC 9457 problem. The one renderer of problem+json in the service: the handlers'
/// error path (error_writer.cpp) and the server's own answers (malformed request, 408,
/// 503, 505) both go through ProblemJson.
struct Problem {
  int status = 500;
  std::string_view code;  ///< stable machine-readable code; also the tail of `type`
  std::string_view title;
  std::string_view detail;
  std::string_view instance;  ///< the request's path ("" when there is no request)
  std::string_view request_id;
  const std::vector<FieldError>* errors = nullptr;  ///< rendered when not empty
};

/// `{code, detail, errors?, instance, request_id, status, title, type}` (members in that
/// order, as Poco's sorted objects wrote them before); `type` is
/// https://onboard.example/problems/<code>.
std::string ProblemJson(const Problem& problem);

/// A complete HTTP/1.1 response carrying `problem`, with `Connection: close`, for answers
/// the server writes itself before (or instead of) any handler: Date, X-Request-Id,
/// Cache-Control: no-store, X-Content-Type-Options: nosniff and, when `retry_after_s` > 0,
/// Retry-After.
std::string ProblemResponse(const Problem& problem, int retry_after_s);

}  // namespace onboard::http
