#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace onboard::json {

/// JSON text of Poco documents written straight into a string: what Poco's stringify()
/// produces (members in the object's own order, numbers as Poco formats them), without its
/// ostream and the copies it makes of nested objects, which cost more than the rest of a
/// registration. Strings are escaped as RFC 8259 requires (`/` is not escaped; bytes that
/// are not UTF-8 become U+FFFD).
void Append(std::string& out, const Poco::Dynamic::Var& value);
void Append(std::string& out, const Poco::JSON::Object& value);
void Append(std::string& out, const Poco::JSON::Array& value);
/// Appends `value` as a JSON string, quotes included.
void AppendString(std::string& out, std::string_view value);

std::string Text(const Poco::JSON::Object& value);
std::string Text(const Poco::JSON::Array& value);
std::string Text(const Poco::Dynamic::Var& value);

}  // namespace onboard::json
