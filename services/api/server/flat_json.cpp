#include "flat_json.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace onboard::http {

namespace {

// JSON's whitespace (RFC 8259: space, tab, line feed, carriage return).
void SkipSpace(std::string_view text, std::size_t& at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
    ++at;
}

// A string without escapes or control characters at `at` (the opening quote); false for
// anything else.
bool PlainString(std::string_view text, std::size_t& at, std::string_view& out) {
  if (at >= text.size() || text[at] != '"') return false;
  const std::size_t start = ++at;
  while (at < text.size() && text[at] != '"') {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c == '\\' || c < 0x20 || c >= 0x7f) return false;  // printable ASCII only
    ++at;
  }
  if (at >= text.size()) return false;
  out = text.substr(start, at - start);
  ++at;  // the closing quote
  return true;
}

// After a member or an item: the next one follows (a comma: kMore), the object or array
// ends (`close`: kClosed), or anything else (kBad).
enum class After { kMore, kClosed, kBad };
After SeparatorOrClose(std::string_view text, std::size_t& at, char close) {
  SkipSpace(text, at);
  if (at < text.size() && (text[at] == ',' || text[at] == close))
    return text[at++] == ',' ? After::kMore : After::kClosed;
  return After::kBad;
}

}  // namespace

std::optional<std::vector<FlatMember>> ReadFlatStringObject(
    std::string_view body, const std::vector<std::string_view>& known) {
  std::vector<FlatMember> members;
  std::size_t at = 0;
  SkipSpace(body, at);
  if (at >= body.size() || body[at++] != '{') return std::nullopt;
  SkipSpace(body, at);
  if (at < body.size() && body[at] == '}') {
    ++at;
  } else {
    while (true) {
      FlatMember member;
      SkipSpace(body, at);
      if (!PlainString(body, at, member.name)) return std::nullopt;
      if (std::find(known.begin(), known.end(), member.name) == known.end()) return std::nullopt;
      for (const FlatMember& seen : members) {
        if (seen.name == member.name) return std::nullopt;
      }
      SkipSpace(body, at);
      if (at >= body.size() || body[at++] != ':') return std::nullopt;
      SkipSpace(body, at);
      if (at < body.size() && body[at] == '[') {
        member.array = true;
        ++at;
        SkipSpace(body, at);
        if (at < body.size() && body[at] == ']') {
          ++at;
        } else {
          while (true) {
            std::string_view value;
            SkipSpace(body, at);
            if (!PlainString(body, at, value)) return std::nullopt;
            member.values.push_back(value);
            const After after = SeparatorOrClose(body, at, ']');
            if (after == After::kBad) return std::nullopt;
            if (after == After::kClosed) break;
          }
        }
      } else {
        std::string_view value;
        if (!PlainString(body, at, value)) return std::nullopt;
        member.values.push_back(value);
      }
      members.push_back(std::move(member));
      const After after = SeparatorOrClose(body, at, '}');
      if (after == After::kBad) return std::nullopt;
      if (after == After::kClosed) break;
    }
  }
  SkipSpace(body, at);
  if (at != body.size()) return std::nullopt;
  return members;
}

BodyMember MemberOf(const std::vector<FlatMember>& members, std::string_view name) {
  BodyMember m;
  for (const FlatMember& f : members) {
    if (f.name != name) continue;
    m.kind = f.array ? BodyMember::kArray : BodyMember::kString;
    if (!f.array) m.text = f.values.front();
    if (f.array) m.items.assign(f.values.begin(), f.values.end());
  }
  return m;
}

BodyMember MemberOf(const Poco::JSON::Object& body, const std::string& name) {
  BodyMember m;
  if (!body.has(name)) return m;
  const Poco::Dynamic::Var v = body.get(name);
  if (body.isNull(name)) {
    m.kind = BodyMember::kNull;
  } else if (v.isString()) {
    m.kind = BodyMember::kString;
    m.text = v.extract<std::string>();
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    m.kind = BodyMember::kArray;
    for (const auto& item : *v.extract<Poco::JSON::Array::Ptr>())
      m.items.push_back(item.isString() ? std::optional(item.extract<std::string>())
                                        : std::nullopt);
  } else {
    m.kind = BodyMember::kOther;
  }
  return m;
}

}  // namespace onboard::http
