#include "provider_auth.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <system_error>

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

// A strict RFC 8259 reader for the two small JSON objects of a client assertion, its
// header and its claims set: it decodes only the members the rules use and checks and
// skips the rest, where a Poco::JSON DOM (a Var per member, a map per object) cost about
// 16 us of every private_key_jwt request. Bad syntax, invalid UTF-8, lone surrogates,
// text after the object and nesting deeper than 32 are refused.
class AssertionJsonReader {
 public:
  AssertionJsonReader(std::string_view text, const char* what) : text_(text), what_(what) {}

  /// Calls `on_member(name)` for each member of the top-level object, positioned at its
  /// value, which `on_member` consumes (ReadString, ReadNumber, ForEachElement, SkipValue).
  template <class OnMember>
  void ForEachMember(OnMember&& on_member) {
    SkipSpace();
    ForEachMemberAt(on_member);
    SkipSpace();
    if (pos_ != text_.size()) Bad();
  }

  /// Calls `on_member(name)` for each member of the object at the position, as above.
  template <class OnMember>
  void ForEachMemberAt(OnMember&& on_member) {
    ForEachItem('{', '}', [&](std::size_t) {
      if (Peek() != '"') Bad();
      const std::string name = ReadString();
      SkipSpace();
      Expect(':');
      SkipSpace();
      on_member(name);
    });
  }

  /// Calls `on_element(index)` for each element of the array at the position.
  template <class OnElement>
  void ForEachElement(OnElement&& on_element) {
    ForEachItem('[', ']', on_element);
  }

  bool AtString() const noexcept { return Peek() == '"'; }
  bool AtArray() const noexcept { return Peek() == '['; }
  bool AtNumber() const noexcept { return Peek() == '-' || IsDigit(Peek()); }

  std::string ReadString() {
    Expect('"');
    std::string out;
    for (;;) {
      const std::size_t run = pos_;
      while (pos_ < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out.append(text_.substr(run, pos_ - run));
      if (pos_ >= text_.size()) Bad();
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) Bad();
      if (c >= 0x80) {
        const std::size_t len = Utf8Sequence(text_.substr(pos_));
        if (len == 0) Bad();
        out.append(text_.substr(pos_, len));
        pos_ += len;
        continue;
      }
      ++pos_;  // the backslash
      const char escape = Next();
      if (escape != 'u') {
        out.push_back(ShortEscape(escape));
        continue;
      }
      uint32_t cp = Hex4();
      if (cp >= 0xDC00 && cp <= 0xDFFF) Bad();
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (Next() != '\\' || Next() != 'u') Bad();
        const uint32_t low = Hex4();
        if (low < 0xDC00 || low > 0xDFFF) Bad();
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      }
      AppendUtf8(out, cp);
    }
  }

  /// A JSON number as a double (+-HUGE_VAL beyond its range).
  double ReadNumber() {
    const std::size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++pos_;
    } else {
      Bad();
    }
    if (Peek() == '.') {
      ++pos_;
      if (!IsDigit(Peek())) Bad();
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) Bad();
      while (IsDigit(Peek())) ++pos_;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec == std::errc::result_out_of_range) return text_[start] == '-' ? -HUGE_VAL : HUGE_VAL;
    if (ec != std::errc() || end != text_.data() + pos_) Bad();
    return value;
  }

  void SkipValue(int depth = 0) {
    if (depth > 32) Bad();
    switch (Peek()) {
      case '"':
        ReadString();
        return;
      case '[':
        ForEachElement([&](std::size_t) { SkipValue(depth + 1); });
        return;
      case '{':
        ForEachMemberAt([&](const std::string&) { SkipValue(depth + 1); });
        return;
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (!AtNumber()) Bad();
        ReadNumber();
    }
  }

  [[noreturn]] void Bad() const {
    Fail(std::string("the client assertion's ") + what_ + " is not a JSON object");
  }

 private:
  static bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
  char Peek() const noexcept { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  char Next() {
    if (pos_ >= text_.size()) Bad();
    return text_[pos_++];
  }
  void Expect(char c) {
    if (Next() != c) Bad();
  }
  void SkipSpace() noexcept {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  // The character a one-character escape (RFC 8259 section 7: the letter after the
  // backslash) stands for; Bad() for any other letter.
  char ShortEscape(char letter) const {
    // Each escape letter followed by what it stands for.
    static constexpr std::string_view kEscapes = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (std::size_t i = 0; i < kEscapes.size(); i += 2) {
      if (kEscapes[i] == letter) return kEscapes[i + 1];
    }
    Bad();
  }
  // The comma-separated items between `open` and `close` (an object's members, an array's
  // elements): `on_item(index)` consumes each, positioned at its first character.
  template <class OnItem>
  void ForEachItem(char open, char close, OnItem&& on_item) {
    Expect(open);
    SkipSpace();
    if (Peek() == close) {
      ++pos_;
      return;
    }
    for (std::size_t i = 0;; ++i) {
      SkipSpace();
      on_item(i);
      SkipSpace();
      const char c = Next();
      if (c == close) return;
      if (c != ',') Bad();
    }
  }
  void Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) Bad();
    pos_ += word.size();
  }
  uint32_t Hex4() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = crypto::HexDigitValue(Next());
      if (h < 0) Bad();
      v = v * 16 + static_cast<uint32_t>(h);
    }
    return v;
  }
  // Length of the well-formed UTF-8 sequence that starts `s` (RFC 3629), 0 if there is none.
  static std::size_t Utf8Sequence(std::string_view s) noexcept {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
    const unsigned char b0 = b(0);
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (b0 == 0xE0 && b(1) < 0xA0) return 0;  // overlong
      if (b0 == 0xED && b(1) > 0x9F) return 0;  // surrogate
      return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (b0 == 0xF0 && b(1) < 0x90) return 0;  // overlong
      if (b0 == 0xF4 && b(1) > 0x8F) return 0;  // beyond U+10FFFF
      return 4;
    }
    return 0;
  }
  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view text_;
  const char* what_;
  std::size_t pos_ = 0;
};

// A string member's value; fails when the member is not a string (null included).
std::string AssertionString(AssertionJsonReader& reader, const std::string& name) {
  if (!reader.AtString()) Fail("the member " + name + " must be a string");
  return reader.ReadString();
}

// A NumericDate claim (RFC 7519 section 2): a JSON number, seconds truncated.
int64_t AssertionNumericDate(AssertionJsonReader& reader, const std::string& name) {
  if (!reader.AtNumber()) Fail("the claim " + name + " must be a number");
  const double value = reader.ReadNumber();
  if (!(value > -9.0e18 && value < 9.0e18)) Fail("the claim " + name + " must be a number");
  return static_cast<int64_t>(value);
}

// Refuses a member named twice (RFC 7515 section 4 allows refusing or taking the last;
// refusing leaves no doubt which value was checked).
void AssertionOnce(bool& seen, const char* part, const std::string& name) {
  if (seen) Fail(std::string("the client assertion's ") + part + " names " + name + " twice");
  seen = true;
}

// A member of the header or the claims that the rules read, allowed once.
template <typename T>
struct OnceMember {
  const char* name;
  T* target;
  bool seen = false;
};

// When `name` is one of `members`: reads its value with `read(name)` (AssertionOnce first)
// and returns true.
template <typename T, std::size_t N, typename Read>
bool ReadOnceMember(OnceMember<T> (&members)[N], const std::string& name, const char* part,
                    Read read) {
  for (auto& m : members) {
    if (name != m.name) continue;
    AssertionOnce(m.seen, part, name);
    *m.target = read(name);
    return true;
  }
  return false;
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
  const ClientMetadata& metadata = c.metadata;
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
  const std::string header_text = Decode(jwt.substr(0, dot1), "header");
  const std::string claims_text = Decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1), "claims");
  a.signature = Decode(jwt.substr(dot2 + 1), "signature");
  a.signing_input = std::string(jwt.substr(0, dot2));

  AssertionJsonReader header(header_text, "header");
  OnceMember<std::string> header_strings[] = {{"alg", &a.alg}, {"kid", &a.kid}};
  bool seen_x5c = false;
  const auto header_string = [&](const std::string& name) { return AssertionString(header, name); };
  header.ForEachMember([&](const std::string& name) {
    if (ReadOnceMember(header_strings, name, "header", header_string)) return;
    if (name == "crit") {
      Fail("the client assertion names critical header parameters this service does not know");
    } else if (name == "x5c") {
      AssertionOnce(seen_x5c, "header", name);
      constexpr const char* kBadChain = "x5c must be an array of base64 certificates";
      if (!header.AtArray()) Fail(kBadChain);
      std::string first;
      bool has_first = false;
      header.ForEachElement([&](std::size_t i) {
        if (i > 0) return header.SkipValue();
        if (!header.AtString()) Fail(kBadChain);
        first = header.ReadString();
        has_first = true;
      });
      if (!has_first) Fail(kBadChain);
      try {
        a.x5c_der = crypto::Base64UrlDecode(first);
      } catch (const AppError&) {
        Fail(kBadChain);
      }
    } else {
      header.SkipValue();
    }
  });

  AssertionJsonReader claims(claims_text, "claims");
  OnceMember<std::string> claim_strings[] = {{"iss", &a.iss}, {"sub", &a.sub}, {"jti", &a.jti}};
  OnceMember<std::optional<int64_t>> claim_dates[] = {
      {"exp", &a.exp}, {"iat", &a.iat}, {"nbf", &a.nbf}};
  bool seen_aud = false;
  const auto claim_string = [&](const std::string& name) { return AssertionString(claims, name); };
  const auto claim_date = [&](const std::string& name) {
    return AssertionNumericDate(claims, name);
  };
  claims.ForEachMember([&](const std::string& name) {
    if (ReadOnceMember(claim_strings, name, "claims", claim_string) ||
        ReadOnceMember(claim_dates, name, "claims", claim_date))
      return;
    if (name == "aud") {
      AssertionOnce(seen_aud, "claims", name);
      constexpr const char* kBadAud = "aud must be a string or an array of strings";
      if (claims.AtString()) {
        a.aud.push_back(claims.ReadString());
      } else if (claims.AtArray()) {
        claims.ForEachElement([&](std::size_t) {
          if (!claims.AtString()) Fail(kBadAud);
          a.aud.push_back(claims.ReadString());
        });
      } else {
        Fail(kBadAud);
      }
    } else {
      claims.SkipValue();
    }
  });
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
      const int hi = i + 1 < text.size() ? crypto::HexDigitValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? crypto::HexDigitValue(text[i + 2]) : -1;
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
