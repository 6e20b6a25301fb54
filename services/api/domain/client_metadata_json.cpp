#include "client_metadata_json.hpp"

#include <Poco/JSON/Array.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "error.hpp"

namespace onboard::domain {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxPathKeyBytes = 64;

constexpr std::array<std::string_view, 24> kTopLevelFields = {
    "client_name",
    "display_name",
    "description",
    "client_uri",
    "logo_uri",
    "integration_type",
    "application_type",
    "token_endpoint_auth_method",
    "grant_types",
    "scopes",
    "redirect_uris",
    "post_logout_redirect_uris",
    "frontchannel_logout_uri",
    "frontchannel_logout_session_required",
    "access_token_lifetime",
    "refresh_token_lifetime",
    "authorization_lifetime",
    "refresh_token_usage",
    "client_orgno",
    "supplier_orgno",
    "sso_disabled",
    "onbehalfof",
    "jwks",
    "contacts",
};

constexpr std::array<std::string_view, 4> kOnBehalfOfFields = {"onbehalfof", "display_name",
                                                               "orgno", "url"};
constexpr std::array<std::string_view, 7> kJwkFields = {"kty", "alg", "use", "kid",
                                                        "e",   "n",   "x5c"};

enum class TextKind {
  kPlain,      // identifiers, URIs, numbers as text: kept byte for byte
  kFreeText,   // names shown to people: NFC
  kMultiline,  // description: NFC, line feeds allowed
};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto n : names) {
    if (n == name) return true;
  }
  return false;
}

// A member name as a path segment: JSON-pointer escaping (~0, ~1), anything unprintable
// or not UTF-8 shown as \xNN so the error document stays valid JSON, long names cut.
std::string PathSegment(std::string_view key) {
  const bool utf8 = IsValidUtf8(key);
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (out.size() >= kMaxPathKeyBytes) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(key[i]);
    if (key[i] == '~') {
      out += "~0";
    } else if (key[i] == '/') {
      out += "~1";
    } else if (u < 0x20 || u == 0x7F || (u >= 0x80 && !utf8)) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else if (u >= 0x80) {
      // Copy the whole UTF-8 sequence so a cut never splits a character.
      std::size_t len = (u & 0xE0) == 0xC0 ? 2 : (u & 0xF0) == 0xE0 ? 3 : 4;
      out.append(key.substr(i, len));
      i += len - 1;
    } else {
      out += key[i];
    }
  }
  return out;
}

std::string Join(std::string_view base, std::string_view segment) {
  std::string out(base);
  out += '/';
  out += segment;
  return out;
}

std::string Join(std::string_view base, std::size_t index) {
  return Join(base, std::to_string(index));
}

// Decodes one code point from well-formed UTF-8 at `i`, advancing `i`.
char32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  const std::size_t len = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : 4;
  char32_t cp = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
  i += len;
  return cp;
}

bool IsForbiddenControl(char32_t cp, TextKind kind) {
  if (cp == U'\n') return kind != TextKind::kMultiline;
  if (cp < 0x20 || cp == 0x7F) return true;
  if (cp >= 0x80 && cp <= 0x9F) return true;
  // Bidi embeddings, overrides and isolates can make a displayed name read differently
  // from what is stored (the "Trojan Source" family of spoofs).
  if (cp >= 0x202A && cp <= 0x202E) return true;
  if (cp >= 0x2066 && cp <= 0x2069) return true;
  return false;
}

Array::Ptr AsArray(const Var& value) {
  if (value.type() == typeid(Array::Ptr)) return value.extract<Array::Ptr>();
  if (value.type() == typeid(Array)) return new Array(value.extract<Array>());
  return nullptr;
}

Object::Ptr AsObject(const Var& value) {
  if (value.type() == typeid(Object::Ptr)) return value.extract<Object::Ptr>();
  if (value.type() == typeid(Object)) return new Object(value.extract<Object>());
  return nullptr;
}

class Reader {
 public:
  std::vector<FieldError>& errors() { return errors_; }

  void Add(std::string path, std::string code, std::string message) {
    errors_.push_back({std::move(path), std::move(code), std::move(message)});
  }

  template <std::size_t N>
  void RejectUnknown(const Object& obj, const std::array<std::string_view, N>& known,
                     std::string_view base, const std::set<std::string, std::less<>>* ignored) {
    for (const auto& [key, value] : obj) {
      if (Contains(known, key)) continue;
      if (ignored != nullptr && ignored->contains(key)) continue;
      const std::string segment = PathSegment(key);
      Add(base.empty() ? segment : Join(base, segment), "unknown_field", "unknown field");
    }
  }

  // A string value; std::nullopt (and an error unless the value is absent) otherwise.
  std::optional<std::string> Text(const Var& value, const std::string& path, TextKind kind) {
    if (value.type() != typeid(std::string)) {
      if (!value.isEmpty()) Add(path, "invalid_type", "must be a string");
      return std::nullopt;
    }
    const auto& text = value.extract<std::string>();
    if (!IsValidUtf8(text)) {
      Add(path, "invalid_utf8", "must be valid UTF-8");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size();) {
      if (IsForbiddenControl(NextCodePoint(text, i), kind)) {
        Add(path, "control_character", "must not contain control characters");
        return std::nullopt;
      }
    }
    if (kind == TextKind::kPlain) return text;
    return NormalizeNfc(text);
  }

  std::optional<bool> Bool(const Var& value, const std::string& path) {
    if (value.type() == typeid(bool)) return value.extract<bool>();
    if (!value.isEmpty()) Add(path, "invalid_type", "must be a boolean");
    return std::nullopt;
  }

  std::optional<std::int64_t> Integer(const Var& value, const std::string& path) {
    if (value.isEmpty()) return std::nullopt;
    if (value.type() == typeid(bool) || !value.isInteger()) {
      Add(path, "invalid_type", "must be an integer");
      return std::nullopt;
    }
    if (value.isSigned()) return value.convert<Poco::Int64>();
    const auto unsigned_value = value.convert<Poco::UInt64>();
    if (unsigned_value > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) {
      Add(path, "out_of_range", "integer is too large");
      return std::nullopt;
    }
    return static_cast<std::int64_t>(unsigned_value);
  }

  template <typename Enum>
  std::optional<Enum> EnumValue(const Var& value, const std::string& path,
                                std::optional<Enum> (*from_string)(std::string_view) noexcept) {
    const auto text = Text(value, path, TextKind::kPlain);
    if (!text) return std::nullopt;
    const auto parsed = from_string(*text);
    if (!parsed) Add(path, "invalid_value", "not one of the allowed values");
    return parsed;
  }

  // An array of strings; std::nullopt if absent or not an array. Bad elements are
  // reported and skipped.
  std::optional<std::vector<std::string>> TextList(const Var& value, const std::string& path) {
    if (value.isEmpty()) return std::nullopt;
    const auto array = AsArray(value);
    if (!array) {
      Add(path, "invalid_type", "must be an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    out.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Var item = array->get(static_cast<unsigned>(i));
      const std::string item_path = Join(path, i);
      if (item.isEmpty()) {
        Add(item_path, "invalid_type", "must be a string");
        continue;
      }
      if (auto text = Text(item, item_path, TextKind::kPlain)) out.push_back(std::move(*text));
    }
    return out;
  }

  // Calls `each(object, path)` for every element of an array of objects.
  template <typename Fn>
  void ObjectList(const Var& value, const std::string& path, Fn each) {
    if (value.isEmpty()) return;
    const auto array = AsArray(value);
    if (!array) {
      Add(path, "invalid_type", "must be an array of objects");
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string item_path = Join(path, i);
      const auto obj = AsObject(array->get(static_cast<unsigned>(i)));
      if (!obj) {
        Add(item_path, "invalid_type", "must be an object");
        continue;
      }
      each(*obj, item_path);
    }
  }

 private:
  std::vector<FieldError> errors_;
};

template <typename T>
void Assign(T& target, std::optional<T>&& value) {
  if (value) target = std::move(*value);
}

OnBehalfOf ReadOnBehalfOf(Reader& reader, const Object& obj, const std::string& path) {
  reader.RejectUnknown(obj, kOnBehalfOfFields, path, nullptr);
  OnBehalfOf record;
  Assign(record.onbehalfof,
         reader.Text(obj.get("onbehalfof"), Join(path, "onbehalfof"), TextKind::kPlain));
  Assign(record.display_name,
         reader.Text(obj.get("display_name"), Join(path, "display_name"), TextKind::kFreeText));
  Assign(record.orgno, reader.Text(obj.get("orgno"), Join(path, "orgno"), TextKind::kPlain));
  record.url = reader.Text(obj.get("url"), Join(path, "url"), TextKind::kPlain);
  return record;
}

Jwk ReadJwk(Reader& reader, const Object& obj, const std::string& path) {
  reader.RejectUnknown(obj, kJwkFields, path, nullptr);
  Jwk jwk;
  Assign(jwk.kty, reader.Text(obj.get("kty"), Join(path, "kty"), TextKind::kPlain));
  Assign(jwk.alg, reader.Text(obj.get("alg"), Join(path, "alg"), TextKind::kPlain));
  Assign(jwk.use, reader.Text(obj.get("use"), Join(path, "use"), TextKind::kPlain));
  jwk.kid = reader.Text(obj.get("kid"), Join(path, "kid"), TextKind::kPlain);
  Assign(jwk.e, reader.Text(obj.get("e"), Join(path, "e"), TextKind::kPlain));
  Assign(jwk.n, reader.Text(obj.get("n"), Join(path, "n"), TextKind::kPlain));
  jwk.x5c = reader.TextList(obj.get("x5c"), Join(path, "x5c"));
  return jwk;
}

Array::Ptr ToArray(const std::vector<std::string>& values) {
  Array::Ptr array = new Array;
  for (const auto& v : values) array->add(v);
  return array;
}

template <typename T>
void SetIfPresent(Object& obj, const std::string& key, const std::optional<T>& value) {
  if (value) obj.set(key, *value);
}

// The stored forms of the list members, the inverses of ReadOnBehalfOf and ReadJwk.
template <typename T, typename ToJson>
Array::Ptr ToArray(const std::vector<T>& items, ToJson to_json) {
  Array::Ptr array = new Array;
  for (const auto& item : items) array->add(to_json(item));
  return array;
}

Object::Ptr OnBehalfOfJson(const OnBehalfOf& record) {
  Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  item->set("onbehalfof", record.onbehalfof);
  item->set("display_name", record.display_name);
  item->set("orgno", record.orgno);
  SetIfPresent(*item, "url", record.url);
  return item;
}

Object::Ptr StoredJwkJson(const Jwk& jwk) {
  Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  item->set("kty", jwk.kty);
  item->set("alg", jwk.alg);
  item->set("use", jwk.use);
  SetIfPresent(*item, "kid", jwk.kid);
  item->set("e", jwk.e);
  item->set("n", jwk.n);
  if (jwk.x5c) item->set("x5c", ToArray(*jwk.x5c));
  return item;
}

}  // namespace

std::string NormalizeNfc(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   std::string("ICU NFC normaliser unavailable: ") + u_errorName(status));
  }
  const auto source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString normalised = nfc->normalize(source, status);
  if (U_FAILURE(status)) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   std::string("ICU NFC normalisation failed: ") + u_errorName(status));
  }
  std::string out;
  normalised.toUTF8String(out);
  return out;
}

ClientMetadata ParseClientMetadata(const Poco::JSON::Object& obj, const ParseOptions& options) {
  Reader reader;
  reader.RejectUnknown(obj, kTopLevelFields, "", &options.ignored_fields);

  ClientMetadata m;
  const auto type =
      reader.EnumValue(obj.get("integration_type"), "integration_type", IntegrationTypeFromString);
  if (options.fixed_integration_type) {
    m.integration_type = *options.fixed_integration_type;
    if (type && *type != *options.fixed_integration_type) {
      reader.Add("integration_type", "immutable", "cannot be changed after creation");
    }
  } else if (type) {
    m.integration_type = *type;
  } else if (obj.get("integration_type").isEmpty()) {
    reader.Add("integration_type", "required", "is required");
  }

  Assign(m.client_name, reader.Text(obj.get("client_name"), "client_name", TextKind::kFreeText));
  m.display_name = reader.Text(obj.get("display_name"), "display_name", TextKind::kFreeText);
  m.description = reader.Text(obj.get("description"), "description", TextKind::kMultiline);
  m.client_uri = reader.Text(obj.get("client_uri"), "client_uri", TextKind::kPlain);
  m.logo_uri = reader.Text(obj.get("logo_uri"), "logo_uri", TextKind::kPlain);

  Assign(m.application_type, reader.EnumValue(obj.get("application_type"), "application_type",
                                              ApplicationTypeFromString));
  m.token_endpoint_auth_method = DefaultAuthMethod(m.integration_type, m.application_type);
  Assign(m.token_endpoint_auth_method,
         reader.EnumValue(obj.get("token_endpoint_auth_method"), "token_endpoint_auth_method",
                          AuthMethodFromString));

  const auto grant_types = reader.TextList(obj.get("grant_types"), "grant_types");
  m.grant_types = grant_types ? *grant_types : DefaultGrantTypes(m.integration_type);
  const auto scopes = reader.TextList(obj.get("scopes"), "scopes");
  m.scopes = scopes ? *scopes : DefaultScopes(m.integration_type);
  Assign(m.redirect_uris, reader.TextList(obj.get("redirect_uris"), "redirect_uris"));
  Assign(m.post_logout_redirect_uris,
         reader.TextList(obj.get("post_logout_redirect_uris"), "post_logout_redirect_uris"));
  m.frontchannel_logout_uri =
      reader.Text(obj.get("frontchannel_logout_uri"), "frontchannel_logout_uri", TextKind::kPlain);
  Assign(m.frontchannel_logout_session_required,
         reader.Bool(obj.get("frontchannel_logout_session_required"),
                     "frontchannel_logout_session_required"));

  Assign(m.access_token_lifetime,
         reader.Integer(obj.get("access_token_lifetime"), "access_token_lifetime"));
  Assign(m.refresh_token_lifetime,
         reader.Integer(obj.get("refresh_token_lifetime"), "refresh_token_lifetime"));
  Assign(m.authorization_lifetime,
         reader.Integer(obj.get("authorization_lifetime"), "authorization_lifetime"));
  Assign(m.refresh_token_usage,
         reader.EnumValue(obj.get("refresh_token_usage"), "refresh_token_usage",
                          RefreshTokenUsageFromString));

  Assign(m.client_orgno, reader.Text(obj.get("client_orgno"), "client_orgno", TextKind::kPlain));
  m.supplier_orgno = reader.Text(obj.get("supplier_orgno"), "supplier_orgno", TextKind::kPlain);
  Assign(m.sso_disabled, reader.Bool(obj.get("sso_disabled"), "sso_disabled"));

  reader.ObjectList(obj.get("onbehalfof"), "onbehalfof",
                    [&](const Object& item, const std::string& path) {
                      m.onbehalfof.push_back(ReadOnBehalfOf(reader, item, path));
                    });
  reader.ObjectList(obj.get("jwks"), "jwks", [&](const Object& item, const std::string& path) {
    m.jwks.push_back(ReadJwk(reader, item, path));
  });
  Assign(m.contacts, reader.TextList(obj.get("contacts"), "contacts"));

  if (!reader.errors().empty()) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "",
                   std::move(reader.errors()));
  }
  return m;
}

Poco::JSON::Object::Ptr ToJson(const ClientMetadata& m) {
  Object::Ptr obj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  obj->set("client_name", m.client_name);
  SetIfPresent(*obj, "display_name", m.display_name);
  SetIfPresent(*obj, "description", m.description);
  SetIfPresent(*obj, "client_uri", m.client_uri);
  SetIfPresent(*obj, "logo_uri", m.logo_uri);
  obj->set("integration_type", std::string(ToString(m.integration_type)));
  obj->set("application_type", std::string(ToString(m.application_type)));
  obj->set("token_endpoint_auth_method", std::string(ToString(m.token_endpoint_auth_method)));
  obj->set("grant_types", ToArray(m.grant_types));
  obj->set("scopes", ToArray(m.scopes));
  obj->set("redirect_uris", ToArray(m.redirect_uris));
  obj->set("post_logout_redirect_uris", ToArray(m.post_logout_redirect_uris));
  SetIfPresent(*obj, "frontchannel_logout_uri", m.frontchannel_logout_uri);
  obj->set("frontchannel_logout_session_required", m.frontchannel_logout_session_required);
  obj->set("access_token_lifetime", static_cast<Poco::Int64>(m.access_token_lifetime));
  obj->set("refresh_token_lifetime", static_cast<Poco::Int64>(m.refresh_token_lifetime));
  obj->set("authorization_lifetime", static_cast<Poco::Int64>(m.authorization_lifetime));
  obj->set("refresh_token_usage", std::string(ToString(m.refresh_token_usage)));
  obj->set("client_orgno", m.client_orgno);
  SetIfPresent(*obj, "supplier_orgno", m.supplier_orgno);
  obj->set("sso_disabled", m.sso_disabled);
  obj->set("onbehalfof", ToArray(m.onbehalfof, OnBehalfOfJson));
  obj->set("jwks", ToArray(m.jwks, StoredJwkJson));
  obj->set("contacts", ToArray(m.contacts));
  return obj;
}

}  // namespace onboard::domain
