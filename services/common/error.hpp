#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace onboard {

/// Protocol-neutral error codes. Mapped to HTTP status in exactly one place
/// (`HttpStatusFor`).
enum class ErrorCode {
  kBadRequest,
  kValidation,
  kMalformedJson,
  kUnsupportedMediaType,
  kLengthRequired,
  kPayloadTooLarge,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPreconditionFailed,
  kPreconditionRequired,
  kGone,
  kTooManyRequests,
  kUnavailable,
  kInternal,
};

/// One problem with one field of a request, addressed by a JSON-pointer-like path
/// (`redirect_uris/0`).
struct FieldError {
  std::string path;
  std::string code;
  std::string message;
};

/// The one application error type. `detail` is safe to show to the caller;
/// `internal` is for the log only and may name tables, SQL states or peers, never
/// a secret. `code_name` refines the stable machine-readable code (defaults to the
/// ErrorCode's name, e.g. "validation_failed").
class AppError : public std::runtime_error {
 public:
  AppError(ErrorCode code, std::string detail, std::string internal = {},
           std::vector<FieldError> field_errors = {}, std::string code_name = {});

  ErrorCode code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& internal() const noexcept { return internal_; }
  const std::vector<FieldError>& field_errors() const noexcept { return field_errors_; }
  const std::string& code_name() const noexcept { return code_name_; }

 private:
  ErrorCode code_;
  std::string detail_;
  std::string internal_;
  std::vector<FieldError> field_errors_;
  std::string code_name_;
};

/// HTTP status for an error code (ClickHouse's exceptionCodeToHTTPStatus).
int HttpStatusFor(ErrorCode code) noexcept;

/// Stable snake_case name of the code, e.g. "not_found".
std::string_view ErrorCodeName(ErrorCode code) noexcept;

/// RFC 9457 title for the code, e.g. "Not Found".
std::string_view ErrorTitle(ErrorCode code) noexcept;

}  // namespace onboard
