#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace onboard::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// Sets the minimum level written. Thread-safe.
void SetLevel(Level level) noexcept;
/// Parses "debug"/"info"/"warn"/"error"; returns false for anything else.
bool ParseLevel(std::string_view text, Level& out) noexcept;
bool Enabled(Level level) noexcept;

/// Writes one JSON line `{"ts":..., "level":..., "msg":..., <fields>}` to stdout.
/// Thread-safe; a line is never interleaved with another. Callers must never put a
/// secret, password, token, zip or Authorization header into `fields`.
void Write(Level level, std::string_view msg,
           const Poco::JSON::Object& fields = Poco::JSON::Object());

inline void Info(std::string_view msg, const Poco::JSON::Object& fields = Poco::JSON::Object()) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, const Poco::JSON::Object& fields = Poco::JSON::Object()) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, const Poco::JSON::Object& fields = Poco::JSON::Object()) {
  Write(Level::kError, msg, fields);
}

/// Masks a phone number for logs: all but the last two digits become '*'.
std::string MaskPhone(std::string_view phone);

}  // namespace onboard::log
