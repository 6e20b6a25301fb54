#include "error.hpp"

namespace onboard {

namespace {

struct CodeInfo {
  ErrorCode code;
  int status;
  std::string_view name;
  std::string_view title;
};

constexpr CodeInfo kCodes[] = {
    {ErrorCode::kBadRequest, 400, "bad_request", "Bad Request"},
    {ErrorCode::kValidation, 400, "validation_failed", "Validation Failed"},
    {ErrorCode::kMalformedJson, 400, "malformed_json", "Malformed JSON"},
    {ErrorCode::kUnsupportedMediaType, 415, "unsupported_media_type", "Unsupported Media Type"},
    {ErrorCode::kLengthRequired, 411, "length_required", "Length Required"},
    {ErrorCode::kPayloadTooLarge, 413, "payload_too_large", "Content Too Large"},
    {ErrorCode::kUnauthenticated, 401, "unauthenticated", "Unauthorized"},
    {ErrorCode::kForbidden, 403, "forbidden", "Forbidden"},
    {ErrorCode::kNotFound, 404, "not_found", "Not Found"},
    {ErrorCode::kMethodNotAllowed, 405, "method_not_allowed", "Method Not Allowed"},
    {ErrorCode::kConflict, 409, "conflict", "Conflict"},
    {ErrorCode::kPreconditionFailed, 412, "precondition_failed", "Precondition Failed"},
    {ErrorCode::kPreconditionRequired, 428, "precondition_required", "Precondition Required"},
    {ErrorCode::kGone, 410, "gone", "Gone"},
    {ErrorCode::kTooManyRequests, 429, "too_many_requests", "Too Many Requests"},
    {ErrorCode::kUnavailable, 503, "unavailable", "Service Unavailable"},
    {ErrorCode::kInternal, 500, "internal_error", "Internal Server Error"},
};

const CodeInfo& Info(ErrorCode code) noexcept {
  for (const auto& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes[sizeof(kCodes) / sizeof(kCodes[0]) - 1];
}

}  // namespace

AppError::AppError(ErrorCode code, std::string detail, std::string internal,
                   std::vector<FieldError> field_errors, std::string code_name)
    : std::runtime_error(internal.empty() ? detail : internal),
      code_(code),
      detail_(std::move(detail)),
      internal_(std::move(internal)),
      field_errors_(std::move(field_errors)),
      code_name_(code_name.empty() ? std::string(ErrorCodeName(code)) : std::move(code_name)) {}

int HttpStatusFor(ErrorCode code) noexcept { return Info(code).status; }
std::string_view ErrorCodeName(ErrorCode code) noexcept { return Info(code).name; }
std::string_view ErrorTitle(ErrorCode code) noexcept { return Info(code).title; }

}  // namespace onboard
