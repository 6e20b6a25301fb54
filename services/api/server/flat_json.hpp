#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onboard::http {

/// One member of a flat body (ReadFlatStringObject): its name and its string value, or
/// the strings of an array value (`array`).
struct FlatMember {
  std::string_view name;
  std::vector<std::string_view> values;  ///< one unless `array`
  bool array = false;
};

/// A fast path for hot endpoints whose body is nearly always a flat object of short
/// strings (POST /v1/provider/authenticate): the members of `body` when it is exactly `{ "name":
/// "string" | ["string", ...], ... }` with names from `known`, none twice, and nothing but
/// printable ASCII without a backslash in any name or string (so the whole body is ASCII); the
/// views point into `body`. Anything else (an escape, a number, null, a nested object, an unknown
/// or repeated member, bad syntax) is std::nullopt: read it with http::ParseJsonObjectBody
/// (http/json_body.hpp), which then gives the same values or the error. For every body it accepts,
/// ParseJsonObjectBody gives an object with exactly these members and values
/// (tests/fuzz/json_request_fuzz.cpp checks it).
std::optional<std::vector<FlatMember>> ReadFlatStringObject(
    std::string_view body, const std::vector<std::string_view>& known);

/// One member of a request body as either reader saw it: absent, null, a string, an array
/// (its items: a string each, or nullopt for one that is not) or another value; so that a
/// handler with the fast path builds its command once for both.
struct BodyMember {
  enum Kind { kAbsent, kNull, kString, kArray, kOther } kind = kAbsent;
  std::string text;                               ///< kString
  std::vector<std::optional<std::string>> items;  ///< kArray
};
/// Member `name` of a body ReadFlatStringObject read.
BodyMember MemberOf(const std::vector<FlatMember>& members, std::string_view name);
/// Member `name` of a body Poco parsed.
BodyMember MemberOf(const Poco::JSON::Object& body, const std::string& name);

}  // namespace onboard::http
