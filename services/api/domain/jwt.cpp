#include "jwt.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "crypto.hpp"
#include "error.hpp"

namespace onboard::domain::jwt {

namespace {

std::string Decode(std::string_view part, const char* what) {
  for (char c : part) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) throw Refused(std::string("the token's ") + what + " is not base64url");
  }
  try {
    return crypto::Base64UrlDecode(part);
  } catch (const AppError&) {
    throw Refused(std::string("the token's ") + what + " is not base64url");
  }
}

Poco::JSON::Object::Ptr ParseObject(const std::string& text, const char* what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  throw Refused(std::string("the token's ") + what + " is not a JSON object");
}

}  // namespace

Parts Parse(std::string_view token) {
  if (token.size() > 16384) throw Refused("the token is longer than 16 KiB");
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    throw Refused("the token is not a compact JWS (three dot-separated parts)");
  Parts p;
  p.header = ParseObject(Decode(token.substr(0, dot1), "header"), "header");
  p.claims = ParseObject(Decode(token.substr(dot1 + 1, dot2 - dot1 - 1), "claims"), "claims");
  p.signature = Decode(token.substr(dot2 + 1), "signature");
  p.signing_input = std::string(token.substr(0, dot2));
  p.alg = StringClaim(*p.header, "alg");
  p.kid = StringClaim(*p.header, "kid");
  p.typ = StringClaim(*p.header, "typ");
  if (p.header->has("crit")) throw Refused("the token names critical header parameters");
  return p;
}

std::string StringClaim(const Poco::JSON::Object& claims, const char* name) {
  if (!claims.has(name) || claims.isNull(name)) return {};
  const Poco::Dynamic::Var v = claims.get(name);
  if (!v.isString()) throw Refused(std::string("the claim ") + name + " must be a string");
  return v.extract<std::string>();
}

std::optional<int64_t> TimeClaim(const Poco::JSON::Object& claims, const char* name) {
  if (!claims.has(name)) return std::nullopt;
  const Poco::Dynamic::Var v = claims.get(name);
  if (!v.isNumeric()) throw Refused(std::string("the claim ") + name + " must be a number");
  try {
    return static_cast<int64_t>(v.convert<double>());
  } catch (const Poco::Exception&) {
    throw Refused(std::string("the claim ") + name + " must be a number");
  }
}

std::vector<std::string> Audiences(const Poco::JSON::Object& claims) {
  std::vector<std::string> out;
  if (!claims.has("aud")) return out;
  const Poco::Dynamic::Var aud = claims.get("aud");
  if (aud.isString()) {
    out.push_back(aud.extract<std::string>());
  } else if (aud.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& v : *aud.extract<Poco::JSON::Array::Ptr>()) {
      if (!v.isString()) throw Refused("aud must be a string or an array of strings");
      out.push_back(v.extract<std::string>());
    }
  } else {
    throw Refused("aud must be a string or an array of strings");
  }
  return out;
}

bool IsForbiddenAlg(std::string_view alg) noexcept {
  if (alg.empty() || alg == "none") return true;
  if (alg.size() >= 2 && (alg[0] == 'H' || alg[0] == 'h') && (alg[1] == 'S' || alg[1] == 's'))
    return true;
  return false;
}

}  // namespace onboard::domain::jwt
