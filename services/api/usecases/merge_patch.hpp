#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"

/// Small pieces every command of the use-case layer shares.
namespace onboard::usecases {

/// One member of an RFC 7396 merge patch: absent (keep), null (remove or clear) or a value.
/// A member the parser could not read stays absent; its problem is in the command's
/// `input_errors`.
template <class T>
struct Patch {
  enum class Kind { kAbsent, kNull, kValue };
  Kind kind = Kind::kAbsent;
  T value{};

  bool absent() const noexcept { return kind == Kind::kAbsent; }
  bool null() const noexcept { return kind == Kind::kNull; }
  bool has_value() const noexcept { return kind == Kind::kValue; }
  static Patch Null() { return Patch{Kind::kNull, T{}}; }
  static Patch Of(T v) { return Patch{Kind::kValue, std::move(v)}; }
};

/// Throws AppError(kValidation, detail) with `input` (what the parser could not read)
/// followed by `rules` (what the rules refused), when there is any.
void ThrowIfInvalid(const std::vector<FieldError>& input, const std::vector<FieldError>& rules,
                    const std::string& detail);

/// Throws AppError(kPreconditionFailed, "version_mismatch") when `expected` names another
/// version than `current`; the detail is `what` + " (version <current> now)".
void RequireVersion(const std::optional<int>& expected, int current, const std::string& what);

/// Parses an If-Match header ("\"3\"", "W/\"3\"" or "3"); returns -1 when `header` is
/// empty, throws AppError(kPreconditionFailed, "version_mismatch") when it names no
/// version. The one If-Match parser of the service.
int ParseIfMatch(const std::string& header);

}  // namespace onboard::usecases
