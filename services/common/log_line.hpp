#pragma once

#include <string>
#include <string_view>

#include "log.hpp"

namespace onboard::log {

/// Builds the fields of one log line as JSON text without a document model: for the lines
/// written on every request (the access log), where building a Poco::JSON::Object cost
/// more than the rest of a trivial request.
class Fields {
 public:
  Fields& Str(std::string_view name, std::string_view value);
  Fields& Num(std::string_view name, long long value);
  Fields& Num(std::string_view name, double value);
  /// The members written so far, comma-separated, without braces.
  const std::string& text() const noexcept { return text_; }

 private:
  void Name(std::string_view name);
  std::string text_;
};

/// Appends `value` to `out` as the body of a JSON string (RFC 8259 escaping; bytes that are
/// not valid UTF-8 become U+FFFD, so a line always parses). With `trusted_utf8`, bytes of
/// 0x80 and above pass as they are, unchecked: for text already checked to be UTF-8 on the
/// way in (audit exports, rendered templates).
void AppendJsonEscaped(std::string& out, std::string_view value, bool trusted_utf8 = false);

/// Writes one line like Write(level, msg, fields), batched: it reaches stdout within 50 ms
/// (or with the next line written by Write, or at exit), not before this returns. For the
/// access log, where a write(2) per request was a measurable part of a trivial request.
void WriteFields(Level level, std::string_view msg, const Fields& fields);

/// Writes every batched line now.
void Flush();

}  // namespace onboard::log
