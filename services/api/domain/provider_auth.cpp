#include "provider_auth.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "client_secret.hpp"
#include "error.hpp"

namespace onboard::domain {

namespace {

[[noreturn]] void Fail(const std::string& description) {
  throw ClientAuthFailure("invalid_client", description);
}

std::string Stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string Decode(std::string_view part, const char* what) {
  for (char c : part) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) Fail(std::string("the client assertion's ") + what + " is not base64url");
  }
  try {
    return crypto::Base64UrlDecode(part);
  } catch (const AppError&) {
    Fail(std::string("the client assertion's ") + what + " is not base64url");
  }
}

Poco::JSON::Object::Ptr ParseJsonObject(const std::string& text, const char* what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  Fail(std::string("the client assertion's ") + what + " is not a JSON object");
}

std::optional<int64_t> NumericDate(const Poco::JSON::Object& claims, const char* name) {
  if (!claims.has(name)) return std::nullopt;
  const Poco::Dynamic::Var v = claims.get(name);
  if (!v.isNumeric()) Fail(std::string("the claim ") + name + " must be a number");
  try {
    return static_cast<int64_t>(v.convert<double>());
  } catch (const Poco::Exception&) {
    Fail(std::string("the claim ") + name + " must be a number");
  }
}

std::string OptString(const Poco::JSON::Object& o, const char* name) {
  if (!o.has(name)) return {};
  const Poco::Dynamic::Var v = o.get(name);
  if (!v.isString()) Fail(std::string("the member ") + name + " must be a string");
  return v.extract<std::string>();
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string JwksJson(const std::vector<ClientKey>& keys, const ClientMetadata& metadata) {
  std::string out = R"({"keys":[)";
  bool first = true;
  for (const auto& k : keys) {
    out += (first ? "" : ",") + k.jwk_json;
    first = false;
  }
  for (const auto& m : metadata.jwks) {
    jose::PublicJwk jwk;
    jwk.kty = m.kty;
    jwk.kid = m.kid.value_or("");
    jwk.alg = m.alg;
    jwk.use = m.use;
    jwk.n = m.n;
    jwk.e = m.e;
    if (m.x5c) jwk.x5c = *m.x5c;
    out += (first ? "" : ",") + jose::JwkJson(jwk);
    first = false;
  }
  return out + "]}";
}

ClientRuntime BuildRuntime(const RuntimeRecord& record) {
  ClientRuntime rt;
  const Client& c = record.client;
  rt.client_id = c.client_id;
  rt.state = c.state;
  rt.environment = c.environment;
  const ClientMetadata metadata = ParseStoredMetadata(c.metadata_json);
  rt.method = metadata.token_endpoint_auth_method;
  rt.secrets = record.secrets;
  for (const auto& k : record.keys) {
    try {
      RuntimeKey key;
      key.key_id = k.id;
      key.kid = k.kid;
      key.alg = k.kind == "jwk" ? k.alg : "";
      key.thumbprint = k.thumbprint;
      key.not_before = k.not_before;
      key.not_after = k.not_after;
      key.key = jose::KeyFromJwk(jose::ParseJwkJson(k.jwk_json));
      rt.keys.push_back(std::move(key));
    } catch (const AppError&) {
      // Stored keys were checked when they were added; one that no longer parses is skipped.
    }
  }
  for (const auto& m : metadata.jwks) {
    try {
      jose::PublicJwk jwk;
      jwk.kty = m.kty;
      jwk.n = m.n;
      jwk.e = m.e;
      RuntimeKey key;
      key.kid = m.kid.value_or(jose::Rfc7638Thumbprint(jwk));
      key.alg = m.alg;
      key.key = jose::KeyFromJwk(jwk);
      if (m.x5c && !m.x5c->empty())
        key.thumbprint = jose::X5tS256(crypto::Base64UrlDecode(m.x5c->front()));
      rt.keys.push_back(std::move(key));
    } catch (const AppError&) {
    }
  }
  rt.jwks_json = JwksJson(record.keys, metadata);

  // The provider document: the runtime configuration and no secret material.
  Poco::JSON::Object head(Poco::JSON_PRESERVE_KEY_ORDER);
  head.set("client_id", c.client_id);
  head.set("environment", std::string(ToString(c.environment)));
  head.set("state", std::string(ToString(c.state)));
  head.set("active", c.state == ClientState::kActive);
  head.set("version", c.version);
  head.set("updated_at", c.updated_at);
  head.set("token_endpoint_auth_method", std::string(ToString(rt.method)));
  Poco::JSON::Array secrets;
  for (const auto& s : record.secrets) {
    Poco::JSON::Object item;
    item.set("secret_id", s.secret_id);
    item.set("expires_at", s.expires_at);
    secrets.add(item);
  }
  head.set("secrets", secrets);
  if (!record.secrets_expire_at.empty()) head.set("secret_expires_at", record.secrets_expire_at);
  std::string text = Stringify(head);
  text.pop_back();
  text += R"(,"metadata":)" + c.metadata_json + R"(,"jwks":)" + rt.jwks_json + "}";
  rt.document = std::move(text);
  rt.etag = "\"" + crypto::Base64UrlEncode(crypto::Sha256(rt.document).substr(0, 16)) + "\"";
  return rt;
}

ClientAssertion ParseClientAssertion(std::string_view jwt) {
  if (jwt.size() > 16384) Fail("the client assertion is too long");
  const auto dot1 = jwt.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    Fail("the client assertion is not a compact JWS (three dot-separated parts)");
  }
  ClientAssertion a;
  const Poco::JSON::Object::Ptr header =
      ParseJsonObject(Decode(jwt.substr(0, dot1), "header"), "header");
  const Poco::JSON::Object::Ptr claims =
      ParseJsonObject(Decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1), "claims"), "claims");
  a.signature = Decode(jwt.substr(dot2 + 1), "signature");
  a.signing_input = std::string(jwt.substr(0, dot2));
  a.alg = OptString(*header, "alg");
  a.kid = OptString(*header, "kid");
  if (header->has("crit"))
    Fail("the client assertion names critical header parameters this service does not know");
  if (header->has("x5c")) {
    Poco::JSON::Array::Ptr chain = header->getArray("x5c");
    if (!chain || chain->size() == 0 || !chain->get(0).isString())
      Fail("x5c must be an array of base64 certificates");
    try {
      a.x5c_der = crypto::Base64UrlDecode(chain->get(0).extract<std::string>());
    } catch (const AppError&) {
      Fail("x5c must be an array of base64 certificates");
    }
  }
  a.iss = OptString(*claims, "iss");
  a.sub = OptString(*claims, "sub");
  a.jti = OptString(*claims, "jti");
  if (claims->has("aud")) {
    const Poco::Dynamic::Var aud = claims->get("aud");
    if (aud.isString()) {
      a.aud.push_back(aud.extract<std::string>());
    } else if (aud.type() == typeid(Poco::JSON::Array::Ptr)) {
      for (const auto& v : *aud.extract<Poco::JSON::Array::Ptr>()) {
        if (!v.isString()) Fail("aud must be a string or an array of strings");
        a.aud.push_back(v.extract<std::string>());
      }
    } else {
      Fail("aud must be a string or an array of strings");
    }
  }
  a.exp = NumericDate(*claims, "exp");
  a.iat = NumericDate(*claims, "iat");
  a.nbf = NumericDate(*claims, "nbf");
  return a;
}

const RuntimeKey& VerifyClientAssertion(const ClientAssertion& a, const ClientRuntime& client,
                                        const std::vector<std::string>& audiences,
                                        const AssertionPolicy& policy, int64_t now_epoch) {
  // 1. The algorithm: never none or a MAC, only what is configured.
  if (a.alg.empty()) Fail("the client assertion names no alg");
  if (a.alg == "none") Fail("alg none is not accepted");
  if (a.alg.rfind("HS", 0) == 0) Fail("HMAC algorithms are not accepted for client assertions");
  const auto alg = jose::AlgFromString(a.alg);
  if (!alg || std::find(policy.algs.begin(), policy.algs.end(), *alg) == policy.algs.end()) {
    Fail("alg " + a.alg + " is not accepted");
  }

  // 2. The key: by kid, or the bound certificate the x5c header carries.
  const RuntimeKey* key = nullptr;
  if (!a.kid.empty()) {
    for (const auto& k : client.keys) {
      if (k.kid == a.kid) key = &k;
    }
    if (key == nullptr) Fail("no registered key has kid " + a.kid);
  } else if (!a.x5c_der.empty()) {
    const std::string thumbprint = jose::X5tS256(a.x5c_der);
    for (const auto& k : client.keys) {
      if (!k.thumbprint.empty() && k.thumbprint == thumbprint) key = &k;
    }
    if (key == nullptr) Fail("the x5c certificate is not bound to this client");
  } else {
    Fail("the client assertion names its key by neither kid nor x5c");
  }
  if (!key->alg.empty() && key->alg != a.alg)
    Fail("the key " + key->kid + " is registered for " + key->alg);
  if (key->not_after != 0 && key->not_after <= now_epoch)
    Fail("the key " + key->kid + " has expired");
  if (key->not_before != 0 && key->not_before > now_epoch + policy.skew_s)
    Fail("the key " + key->kid + " is not valid yet");

  // 3. The signature.
  if (!jose::VerifySignature(*alg, key->key.get(), a.signing_input, a.signature)) {
    Fail("the client assertion's signature does not verify");
  }

  // 4. The claims.
  if (a.iss != client.client_id) Fail("iss must be the client_id");
  if (a.sub != client.client_id) Fail("sub must be the client_id");
  bool aud_ok = false;
  for (const auto& aud : a.aud) {
    if (std::find(audiences.begin(), audiences.end(), aud) != audiences.end()) aud_ok = true;
  }
  if (!aud_ok) Fail("aud does not name this provider");
  if (!a.exp) Fail("the client assertion has no exp");
  if (!a.iat) Fail("the client assertion has no iat");
  if (*a.exp + policy.skew_s <= now_epoch) Fail("the client assertion has expired");
  if (*a.iat > now_epoch + policy.skew_s) Fail("the client assertion was issued in the future");
  if (*a.exp <= *a.iat) Fail("exp must be after iat");
  if (*a.exp - *a.iat > policy.max_lifetime_s) {
    Fail("the client assertion lives longer than " + std::to_string(policy.max_lifetime_s) +
         " seconds");
  }
  if (a.nbf && *a.nbf > now_epoch + policy.skew_s) Fail("the client assertion is not valid yet");
  if (a.jti.empty()) Fail("the client assertion has no jti");
  if (a.jti.size() > kMaxJtiLength) Fail("jti is too long");
  if (!IsValidUtf8(a.jti) || std::any_of(a.jti.begin(), a.jti.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    Fail("jti must be printable UTF-8");
  }
  return *key;
}

const RuntimeSecret* MatchSecret(const ClientRuntime& client, std::string_view pepper,
                                 std::string_view presented, int64_t now_epoch) {
  if (presented.empty() || presented.size() > 512) return nullptr;
  const std::string hash = HashClientSecret(pepper, presented);
  const RuntimeSecret* match = nullptr;
  for (const auto& s : client.secrets) {
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (crypto::ConstantTimeEqual(hash, s.hash) && s.expires_at > now_epoch) match = &s;
  }
  return match;
}

std::string FormUrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < text.size() ? Hex(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? Hex(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw ClientAuthFailure("invalid_request", "bad percent-encoding");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::pair<std::string, crypto::SecretString> ParseBasicCredentials(std::string_view header) {
  constexpr std::string_view kBasic = "basic ";
  if (header.size() <= kBasic.size() ||
      !std::equal(kBasic.begin(), kBasic.end(), header.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    Fail("the Authorization header is not HTTP Basic");
  }
  std::string decoded;
  try {
    decoded = crypto::Base64UrlDecode(header.substr(kBasic.size()));
  } catch (const AppError&) {
    Fail("the Authorization header is not valid base64");
  }
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) {
    crypto::Cleanse(decoded);
    Fail("the Authorization header holds no client_id:secret pair");
  }
  std::pair<std::string, crypto::SecretString> out;
  try {
    out.first = FormUrlDecode(std::string_view(decoded).substr(0, colon));
    out.second = crypto::SecretString(FormUrlDecode(std::string_view(decoded).substr(colon + 1)));
  } catch (const ClientAuthFailure&) {
    crypto::Cleanse(decoded);
    Fail("the Authorization header's client_id or secret is not form-urlencoded");
  }
  crypto::Cleanse(decoded);
  return out;
}

}  // namespace onboard::domain
