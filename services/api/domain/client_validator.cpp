#include "client_validator.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "crypto.hpp"
#include "orgno.hpp"

// Rules and their codes (path in brackets; `i` is an array index).
//
// Presence and size
//   required          client_name (blank), client_orgno, grant_types, scopes, redirect_uris
//                     (user-facing types), post_logout_redirect_uris (login clients),
//                     jwks/i/{kty,alg,use,e,n}, jwks/i/x5c (empty array),
//                     onbehalfof/i/{onbehalfof,display_name,orgno}
//   blank             display_name present but only white space
//   too_long          client_name, display_name, onbehalfof/i/display_name (> 200 code
//                     points); description (> 2000); any URI (> 2000 bytes)
//   too_many_items    redirect_uris, post_logout_redirect_uris (> 20), scopes (> 50),
//                     jwks (> 5), jwks/i/x5c (> 10), onbehalfof (> 10), contacts (> 10)
//   duplicate_value   redirect_uris/i, post_logout_redirect_uris/i, scopes/i,
//                     grant_types/i, onbehalfof/i/onbehalfof, contacts/i
// Integration type x application type x auth method
//   user-facing types (idporten, ansattporten and api_klient, which logs users in to call
//   APIs on their behalf): web -> client_secret_basic | client_secret_post |
//   private_key_jwt; browser and native -> none. Machine types (maskinporten, krr and
//   eformidling, which like maskinporten is server-to-server): web + private_key_jwt.
//   application_type_not_allowed [application_type]
//   auth_method_not_allowed      [token_endpoint_auth_method]
// Grant types
//   grant_type_forbidden         [grant_types/i] implicit, password, client_credentials
//   unsupported_grant_type       [grant_types/i] anything else unknown
//   grant_type_not_allowed       [grant_types/i] jwt-bearer for user-facing types;
//                                authorization_code/refresh_token for machine types
//   refresh_token_requires_authorization_code [grant_types/i]
//   authorization_code_required  [grant_types] user-facing type without it
//   jwt_bearer_required          [grant_types] machine type without it
// Scopes
//   invalid_scope                [scopes/i] not an RFC 6749 scope-token
//   scope_not_allowed            [scopes/i] not in the catalogue for the integration type
//   openid_scope_required        [scopes] idporten and ansattporten
// URIs (redirect_uris/i, post_logout_redirect_uris/i, frontchannel_logout_uri,
// client_uri, logo_uri, onbehalfof/i/url), checked in this order, first failure wins:
//   invalid_uri                  empty, characters outside RFC 3986, bad percent-encoding,
//                                bad port, http(s) without a host that is a DNS name (last
//                                label not numeric), dotted-quad IPv4 or IPv6 literal
//   uri_wildcard_not_allowed     any `*`
//   uri_not_absolute             no scheme
//   uri_fragment_not_allowed     any `#`
//   uri_userinfo_not_allowed     `user@host`
//   scheme_not_allowed           not http/https; native clients' redirect and post-logout
//                                URIs may use a private-use reverse-domain scheme
//                                (`com.example.app:/callback`, RFC 8252 section 7.1) in
//                                both environments
//   localhost_requires_http      a loopback host (localhost, *.localhost, 127.0.0.0/8,
//                                ::1, ::ffff:127.0.0.0/104) with https
//   localhost_not_allowed        a loopback host in production, except a native client's
//                                redirect/post-logout URI on 127.0.0.1 or ::1 with any
//                                port (RFC 8252 section 7.3); `localhost` by name never
//   https_required               http to a non-loopback host in production
//   not_allowed_for_integration_type  redirect_uris, post_logout_redirect_uris,
//                                frontchannel_logout_uri, onbehalfof on machine types
//   frontchannel_logout_host_mismatch [frontchannel_logout_uri] host differs from every
//                                redirect URI's host
//   requires_frontchannel_logout_uri [frontchannel_logout_session_required]
// Lifetimes
//   lifetime_not_positive        [access_token_lifetime|refresh_token_lifetime|
//                                authorization_lifetime]
//   access_lifetime_not_below_refresh   [access_token_lifetime] access >= refresh
//   refresh_lifetime_exceeds_authorization [refresh_token_lifetime] refresh > authorization
// Organisations, keys, people
//   invalid_orgno                [client_orgno|supplier_orgno|onbehalfof/i/orgno]
//   invalid_onbehalfof           [onbehalfof/i/onbehalfof] not [A-Za-z0-9._-]{1,100}
//   unsupported_kty (RSA only), unsupported_alg (RS256/RS384/RS512),
//   unsupported_use (sig)        [jwks/i/kty|alg|use]
//   invalid_kid                  [jwks/i/kid] not [A-Za-z0-9._-]{1,100}
//   duplicate_kid                [jwks/i/kid]
//   invalid_base64url            [jwks/i/n|e]
//   key_too_short                [jwks/i/n] modulus under 2048 bits
//   invalid_exponent             [jwks/i/e] even, 1, or longer than 8 bytes
//   invalid_base64               [jwks/i/x5c/j] not standard padded base64
//   invalid_email                [contacts/i] not a plain ASCII addr-spec with a dotted
//                                domain (no quoted local parts, IP literals or IDN)

namespace onboard::domain {

namespace {

using Errors = std::vector<FieldError>;

std::string FieldPath(std::string_view base, std::size_t index) {
  return std::string(base) + "/" + std::to_string(index);
}

std::string FieldPath(std::string_view base, std::string_view member) {
  return std::string(base) + "/" + std::string(member);
}

void Add(Errors& errors, std::string path, std::string code, std::string message) {
  errors.push_back({std::move(path), std::move(code), std::move(message)});
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool IsIdentifier(std::string_view s, std::size_t max_length) {
  if (s.empty() || s.size() > max_length) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '-';
  });
}

// Characters RFC 3986 allows anywhere in a URI (unreserved, reserved, and `%`).
bool IsUriChar(char c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

// A DNS host name: dot-separated labels of letters, digits and inner hyphens.
bool IsDnsName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    const auto label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::optional<std::array<int, 4>> ParseIpv4(std::string_view host) {
  std::array<int, 4> octets{};
  std::size_t pos = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (k > 0) {
      if (pos >= host.size() || host[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t digits = 0;
    int value = 0;
    while (pos < host.size() && IsDigit(host[pos]) && digits < 4) {
      value = value * 10 + (host[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return std::nullopt;
    octets[k] = value;
  }
  if (pos != host.size()) return std::nullopt;
  return octets;
}

// An IPv6 address (without brackets) as eight 16-bit groups; accepts `::` compression and
// a trailing dotted IPv4 part.
std::optional<std::array<unsigned, 8>> ParseIpv6(std::string_view text) {
  const auto parse_groups = [](std::string_view part, std::vector<unsigned>& groups) {
    if (part.empty()) return true;
    std::size_t start = 0;
    while (true) {
      const auto colon = part.find(':', start);
      const auto group =
          part.substr(start, colon == std::string_view::npos ? colon : colon - start);
      if (colon == std::string_view::npos && group.find('.') != std::string_view::npos) {
        const auto ipv4 = ParseIpv4(group);
        if (!ipv4) return false;
        groups.push_back(static_cast<unsigned>((*ipv4)[0] << 8 | (*ipv4)[1]));
        groups.push_back(static_cast<unsigned>((*ipv4)[2] << 8 | (*ipv4)[3]));
        return true;
      }
      if (group.empty() || group.size() > 4) return false;
      unsigned value = 0;
      for (char c : group) {
        if (!IsHex(c)) return false;
        value = value * 16 + static_cast<unsigned>(IsDigit(c) ? c - '0' : Lower(c) - 'a' + 10);
      }
      groups.push_back(value);
      if (colon == std::string_view::npos) return true;
      start = colon + 1;
    }
  };
  std::vector<unsigned> head;
  std::vector<unsigned> tail;
  const auto gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(text, head) || head.size() != 8) return std::nullopt;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!parse_groups(text.substr(0, gap), head) || !parse_groups(text.substr(gap + 2), tail) ||
        head.size() + tail.size() > 7) {
      return std::nullopt;
    }
  }
  std::array<unsigned, 8> groups{};
  std::copy(head.begin(), head.end(), groups.begin());
  std::copy(tail.begin(), tail.end(), groups.end() - static_cast<std::ptrdiff_t>(tail.size()));
  return groups;
}

bool IsIpv6Loopback(const std::array<unsigned, 8>& g) {
  const bool zero_prefix = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0;
  if (!zero_prefix) return false;
  if (g[5] == 0 && g[6] == 0 && g[7] == 1) return true;        // ::1
  return (g[5] == 0xFFFF || g[5] == 0) && (g[6] >> 8) == 127;  // ::ffff:127.x.y.z
}

// A host is either a bracketed IPv6 literal, a dotted-quad IPv4 address or a DNS name
// whose last label is not all digits (so `2130706433` or `0127.0.0.1` are not names).
bool IsValidHost(std::string_view host) {
  if (host.starts_with('[')) return ParseIpv6(host.substr(1, host.size() - 2)).has_value();
  if (ParseIpv4(host)) return true;
  if (!IsDnsName(host)) return false;
  const auto last =
      host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
  return !std::all_of(last.begin(), last.end(), IsDigit);
}

// The loopback addresses RFC 8252 section 7.3 names for native clients.
bool IsNativeLoopbackIp(std::string_view host) {
  if (host == "127.0.0.1") return true;
  if (!host.starts_with('[')) return false;
  const auto ipv6 = ParseIpv6(host.substr(1, host.size() - 2));
  return ipv6 && (*ipv6)[7] == 1 &&
         std::all_of(ipv6->begin(), ipv6->end() - 1, [](unsigned g) { return g == 0; });
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"))) return true;
  if (host.starts_with('[')) {
    const auto ipv6 = ParseIpv6(host.substr(1, host.size() - 2));
    return ipv6 && IsIpv6Loopback(*ipv6);
  }
  const auto ipv4 = ParseIpv4(host);
  return ipv4 && (*ipv4)[0] == 127;
}

// RFC 8252 section 7.1: a private-use scheme based on a domain name the owner controls.
bool IsReverseDomainScheme(std::string_view scheme) {
  return scheme.find('.') != std::string_view::npos && IsDnsName(scheme);
}

struct Uri {
  std::string scheme;  // lower case
  std::string host;    // lower case; IP literals keep their brackets
  bool has_authority = false;
  bool has_userinfo = false;
  bool has_fragment = false;
  std::string_view rest;  // everything after "scheme:"
};

enum class UriSyntax { kOk, kInvalid, kNotAbsolute };

UriSyntax SplitUri(std::string_view text, Uri& uri) {
  if (text.empty()) return UriSyntax::kInvalid;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!IsUriChar(text[i])) return UriSyntax::kInvalid;
    if (text[i] == '%' && (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))) {
      return UriSyntax::kInvalid;
    }
  }
  const auto colon = text.find_first_of(":/?#");
  if (colon == std::string_view::npos || text[colon] != ':' || colon == 0) {
    return UriSyntax::kNotAbsolute;
  }
  const auto scheme = text.substr(0, colon);
  if (!IsAlpha(scheme.front())) return UriSyntax::kInvalid;
  for (char c : scheme) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return UriSyntax::kInvalid;
    }
  }
  uri.scheme = ToLower(scheme);
  uri.rest = text.substr(colon + 1);

  auto rest = uri.rest;
  const auto hash = rest.find('#');
  if (hash != std::string_view::npos) {
    uri.has_fragment = true;
    if (rest.find('#', hash + 1) != std::string_view::npos) return UriSyntax::kInvalid;
    rest = rest.substr(0, hash);
  }
  std::string_view after_authority = rest;
  if (rest.starts_with("//")) {
    uri.has_authority = true;
    const auto end = rest.find_first_of("/?", 2);
    auto authority = rest.substr(2, end == std::string_view::npos ? end : end - 2);
    after_authority = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      uri.has_userinfo = true;
      const auto userinfo = authority.substr(0, at);
      if (userinfo.find_first_of("[]@") != std::string_view::npos) return UriSyntax::kInvalid;
      authority = authority.substr(at + 1);
    }
    std::string_view host;
    std::string_view port;
    bool has_port = false;
    if (authority.starts_with('[')) {
      const auto close = authority.find(']');
      if (close == std::string_view::npos) return UriSyntax::kInvalid;
      host = authority.substr(0, close + 1);
      const auto inner = host.substr(1, host.size() - 2);
      if (inner.empty() || inner.find(':') == std::string_view::npos) return UriSyntax::kInvalid;
      for (char c : inner) {
        if (!IsHex(c) && c != ':' && c != '.') return UriSyntax::kInvalid;
      }
      const auto after = authority.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return UriSyntax::kInvalid;
        has_port = true;
        port = after.substr(1);
      }
    } else {
      const auto port_colon = authority.find(':');
      host = authority.substr(0, port_colon);
      if (port_colon != std::string_view::npos) {
        has_port = true;
        port = authority.substr(port_colon + 1);
      }
      if (host.find_first_of("[]") != std::string_view::npos) return UriSyntax::kInvalid;
    }
    if (has_port) {
      if (port.empty() || port.size() > 5) return UriSyntax::kInvalid;
      int value = 0;
      for (char c : port) {
        if (!IsDigit(c)) return UriSyntax::kInvalid;
        value = value * 10 + (c - '0');
      }
      if (value > 65535) return UriSyntax::kInvalid;
    }
    uri.host = ToLower(host);
  }
  // Brackets are only allowed around an IP literal host.
  if (after_authority.find_first_of("[]") != std::string_view::npos) return UriSyntax::kInvalid;
  return UriSyntax::kOk;
}

struct UriRules {
  Environment environment;
  // A native client's redirect or post-logout URI: private-use schemes and loopback IPs
  // with any port are allowed.
  bool native_redirect = false;
};

// Checks one URI; returns its parts when it passed every rule.
std::optional<Uri> CheckUri(std::string_view text, const std::string& path, UriRules rules,
                            Errors& errors) {
  if (text.size() > kMaxUriLength) {
    Add(errors, path, "too_long", "URI is longer than 2000 characters");
    return std::nullopt;
  }
  if (text.find('*') != std::string_view::npos) {
    Add(errors, path, "uri_wildcard_not_allowed", "wildcards are not allowed");
    return std::nullopt;
  }
  Uri uri;
  switch (SplitUri(text, uri)) {
    case UriSyntax::kInvalid:
      Add(errors, path, "invalid_uri", "not a valid URI");
      return std::nullopt;
    case UriSyntax::kNotAbsolute:
      Add(errors, path, "uri_not_absolute", "must be an absolute URI");
      return std::nullopt;
    case UriSyntax::kOk:
      break;
  }
  if (uri.has_fragment) {
    Add(errors, path, "uri_fragment_not_allowed", "must not contain a fragment");
    return std::nullopt;
  }
  if (uri.has_userinfo) {
    Add(errors, path, "uri_userinfo_not_allowed", "must not contain user information");
    return std::nullopt;
  }
  const bool web = uri.scheme == "http" || uri.scheme == "https";
  if (!web) {
    if (!rules.native_redirect || !IsReverseDomainScheme(uri.scheme)) {
      Add(errors, path, "scheme_not_allowed", "scheme is not allowed");
      return std::nullopt;
    }
    if (uri.rest.empty() || (uri.has_authority && uri.host.empty() && uri.rest.size() == 2)) {
      Add(errors, path, "invalid_uri", "not a valid URI");
      return std::nullopt;
    }
    return uri;
  }
  if (!uri.has_authority || uri.host.empty() || !IsValidHost(uri.host)) {
    Add(errors, path, "invalid_uri", "not a valid URI");
    return std::nullopt;
  }
  const bool production = rules.environment == Environment::kProduction;
  if (IsLoopbackHost(uri.host)) {
    if (production && !(rules.native_redirect && IsNativeLoopbackIp(uri.host))) {
      Add(errors, path, "localhost_not_allowed", "localhost is not allowed in production");
      return std::nullopt;
    }
    if (uri.scheme != "http") {
      Add(errors, path, "localhost_requires_http", "a loopback URI must use http");
      return std::nullopt;
    }
    return uri;
  }
  if (production && uri.scheme != "https") {
    Add(errors, path, "https_required", "must use https in production");
    return std::nullopt;
  }
  return uri;
}

void CheckText(const std::string& text, const std::string& path, std::size_t max_length,
               Errors& errors) {
  if (CountCodePoints(text) > max_length) {
    Add(errors, path, "too_long", "must be at most " + std::to_string(max_length) + " characters");
  }
}

void CheckOrgno(const std::string& orgno, const std::string& path, Errors& errors) {
  if (orgno.empty()) {
    Add(errors, path, "required", "is required");
  } else if (!IsValidOrgno(orgno)) {
    Add(errors, path, "invalid_orgno", "not a valid organisation number");
  }
}

bool IsEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (!IsAlpha(c) && !IsDigit(c) &&
        std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return domain.find('.') != std::string_view::npos && IsDnsName(domain);
}

bool IsStandardBase64(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return false;
  std::size_t padding = 0;
  while (padding < 2 && !s.empty() && s[s.size() - 1 - padding] == '=') ++padding;
  for (std::size_t i = 0; i < s.size() - padding; ++i) {
    const char c = s[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '/') return false;
  }
  return true;
}

// JWK members are unpadded base64url (RFC 7515 section 2); crypto::Base64UrlDecode also
// accepts the standard alphabet and padding, so the alphabet is checked here first.
std::optional<std::string> DecodeBase64Url(const std::string& text) {
  const bool url_alphabet = std::all_of(text.begin(), text.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '-' || c == '_';
  });
  if (!url_alphabet) return std::nullopt;
  try {
    return crypto::Base64UrlDecode(text);
  } catch (const AppError&) {
    return std::nullopt;
  }
}

std::size_t BitLength(std::string_view big_endian) {
  std::size_t i = 0;
  while (i < big_endian.size() && big_endian[i] == '\0') ++i;
  if (i == big_endian.size()) return 0;
  auto top = static_cast<unsigned char>(big_endian[i]);
  std::size_t bits = (big_endian.size() - i - 1) * 8;
  while (top != 0) {
    ++bits;
    top >>= 1;
  }
  return bits;
}

void ValidateJwk(const Jwk& jwk, const std::string& path, std::set<std::string>& kids,
                 Errors& errors) {
  const auto required = [&](const std::string& value, std::string_view member) {
    if (value.empty()) Add(errors, FieldPath(path, member), "required", "is required");
    return !value.empty();
  };
  if (required(jwk.kty, "kty") && jwk.kty != "RSA") {
    Add(errors, FieldPath(path, "kty"), "unsupported_kty", "only RSA keys are supported");
  }
  if (required(jwk.alg, "alg") && jwk.alg != "RS256" && jwk.alg != "RS384" && jwk.alg != "RS512") {
    Add(errors, FieldPath(path, "alg"), "unsupported_alg", "must be RS256, RS384 or RS512");
  }
  if (required(jwk.use, "use") && jwk.use != "sig") {
    Add(errors, FieldPath(path, "use"), "unsupported_use", "must be sig");
  }
  if (jwk.kid) {
    if (!IsIdentifier(*jwk.kid, kMaxKidLength)) {
      Add(errors, FieldPath(path, "kid"), "invalid_kid",
          "must be 1 to 100 letters, digits, '.', '_' or '-'");
    } else if (!kids.insert(*jwk.kid).second) {
      Add(errors, FieldPath(path, "kid"), "duplicate_kid", "kid is already used by another key");
    }
  }
  if (required(jwk.n, "n")) {
    const auto n = DecodeBase64Url(jwk.n);
    if (!n) {
      Add(errors, FieldPath(path, "n"), "invalid_base64url", "must be base64url");
    } else if (BitLength(*n) < kMinRsaModulusBits) {
      Add(errors, FieldPath(path, "n"), "key_too_short", "RSA modulus must be at least 2048 bits");
    }
  }
  if (required(jwk.e, "e")) {
    const auto e = DecodeBase64Url(jwk.e);
    if (!e) {
      Add(errors, FieldPath(path, "e"), "invalid_base64url", "must be base64url");
    } else {
      const std::size_t bits = BitLength(*e);
      if (bits < 2 || bits > 64 || (static_cast<unsigned char>(e->back()) & 1) == 0) {
        Add(errors, FieldPath(path, "e"), "invalid_exponent", "not a usable RSA public exponent");
      }
    }
  }
  if (jwk.x5c) {
    const std::string x5c_path = FieldPath(path, "x5c");
    if (jwk.x5c->empty()) {
      Add(errors, x5c_path, "required", "must hold at least one certificate when present");
    } else if (jwk.x5c->size() > kMaxX5cCertificates) {
      Add(errors, x5c_path, "too_many_items", "at most 10 certificates");
    } else {
      for (std::size_t i = 0; i < jwk.x5c->size(); ++i) {
        if (!IsStandardBase64((*jwk.x5c)[i])) {
          Add(errors, FieldPath(x5c_path, i), "invalid_base64", "must be standard base64 DER");
        }
      }
    }
  }
}

void ValidateApplicationAndAuth(const ClientMetadata& m, Errors& errors) {
  const AuthMethod auth = m.token_endpoint_auth_method;
  if (!IsUserFacing(m.integration_type)) {
    if (m.application_type != ApplicationType::kWeb) {
      Add(errors, "application_type", "application_type_not_allowed",
          "must be web for this integration type");
    }
    if (auth != AuthMethod::kPrivateKeyJwt) {
      Add(errors, "token_endpoint_auth_method", "auth_method_not_allowed",
          "must be private_key_jwt for this integration type");
    }
    return;
  }
  if (m.application_type == ApplicationType::kWeb) {
    if (auth == AuthMethod::kNone) {
      Add(errors, "token_endpoint_auth_method", "auth_method_not_allowed",
          "web clients must authenticate (client_secret_basic, client_secret_post or "
          "private_key_jwt)");
    }
  } else if (auth != AuthMethod::kNone) {
    Add(errors, "token_endpoint_auth_method", "auth_method_not_allowed",
        "browser and native clients must use none");
  }
}

void ValidateGrantTypes(const ClientMetadata& m, Errors& errors) {
  const auto& grants = m.grant_types;
  if (grants.empty()) {
    Add(errors, "grant_types", "required", "at least one grant type is required");
    return;
  }
  const bool user_facing = IsUserFacing(m.integration_type);
  const bool has_code =
      std::find(grants.begin(), grants.end(), kGrantAuthorizationCode) != grants.end();
  bool refresh_error = false;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < grants.size(); ++i) {
    const std::string path = FieldPath("grant_types", i);
    const std::string_view grant = grants[i];
    if (!seen.insert(grant).second) {
      Add(errors, path, "duplicate_value", "listed more than once");
    } else if (grant == "implicit" || grant == "password" || grant == "client_credentials") {
      Add(errors, path, "grant_type_forbidden", "this grant type is not offered");
    } else if (grant != kGrantAuthorizationCode && grant != kGrantRefreshToken &&
               grant != kGrantJwtBearer) {
      Add(errors, path, "unsupported_grant_type", "unknown grant type");
    } else if (user_facing == (grant == kGrantJwtBearer)) {
      Add(errors, path, "grant_type_not_allowed", "not allowed for this integration type");
    } else if (grant == kGrantRefreshToken && !has_code) {
      Add(errors, path, "refresh_token_requires_authorization_code",
          "refresh_token needs authorization_code");
      refresh_error = true;
    }
  }
  if (user_facing && !has_code && !refresh_error) {
    Add(errors, "grant_types", "authorization_code_required",
        "authorization_code is required for this integration type");
  }
  if (!user_facing && std::find(grants.begin(), grants.end(), kGrantJwtBearer) == grants.end()) {
    Add(errors, "grant_types", "jwt_bearer_required",
        "the jwt-bearer grant is required for this integration type");
  }
}

void ValidateScopes(const ClientMetadata& m, const ScopeCatalogue& catalogue, Errors& errors) {
  if (m.scopes.empty()) {
    Add(errors, "scopes", "required", "at least one scope is required");
    return;
  }
  if (m.scopes.size() > kMaxScopes) {
    Add(errors, "scopes", "too_many_items", "at most 50 scopes");
    return;
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < m.scopes.size(); ++i) {
    const std::string path = FieldPath("scopes", i);
    const std::string& scope = m.scopes[i];
    if (!IsScopeToken(scope)) {
      Add(errors, path, "invalid_scope", "not a valid scope");
    } else if (!seen.insert(scope).second) {
      Add(errors, path, "duplicate_value", "listed more than once");
    } else if (!catalogue.IsAllowed(m.integration_type, scope)) {
      Add(errors, path, "scope_not_allowed", "scope is not available for this integration type");
    }
  }
  if (IsLoginClient(m.integration_type) && !seen.contains("openid")) {
    Add(errors, "scopes", "openid_scope_required", "openid is required for login clients");
  }
}

// Validates a list of redirect-style URIs; collects the hosts of the ones that passed.
void ValidateUriList(const std::vector<std::string>& uris, std::string_view field,
                     std::size_t max_items, UriRules rules, std::set<std::string>* hosts,
                     Errors& errors) {
  if (uris.size() > max_items) {
    Add(errors, std::string(field), "too_many_items",
        "at most " + std::to_string(max_items) + " URIs");
    return;
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < uris.size(); ++i) {
    const std::string path = FieldPath(field, i);
    if (!seen.insert(uris[i]).second) {
      Add(errors, path, "duplicate_value", "listed more than once");
      continue;
    }
    const auto uri = CheckUri(uris[i], path, rules, errors);
    const bool web = uri && (uri->scheme == "http" || uri->scheme == "https");
    if (web && hosts != nullptr) hosts->insert(uri->host);
  }
}

void ValidateRedirects(const ClientMetadata& m, Environment environment, Errors& errors) {
  if (!IsUserFacing(m.integration_type)) {
    if (!m.redirect_uris.empty()) {
      Add(errors, "redirect_uris", "not_allowed_for_integration_type",
          "machine clients have no redirect URIs");
    }
    if (!m.post_logout_redirect_uris.empty()) {
      Add(errors, "post_logout_redirect_uris", "not_allowed_for_integration_type",
          "machine clients have no post-logout redirect URIs");
    }
    if (m.frontchannel_logout_uri) {
      Add(errors, "frontchannel_logout_uri", "not_allowed_for_integration_type",
          "machine clients have no front-channel logout");
    }
    return;
  }
  const UriRules redirect_rules{environment, m.application_type == ApplicationType::kNative};
  if (m.redirect_uris.empty()) {
    Add(errors, "redirect_uris", "required", "at least one redirect URI is required");
  }
  std::set<std::string> hosts;
  ValidateUriList(m.redirect_uris, "redirect_uris", kMaxRedirectUris, redirect_rules, &hosts,
                  errors);
  if (IsLoginClient(m.integration_type) && m.post_logout_redirect_uris.empty()) {
    Add(errors, "post_logout_redirect_uris", "required",
        "at least one post-logout redirect URI is required");
  }
  ValidateUriList(m.post_logout_redirect_uris, "post_logout_redirect_uris",
                  kMaxPostLogoutRedirectUris, redirect_rules, nullptr, errors);
  if (m.frontchannel_logout_uri) {
    const auto uri =
        CheckUri(*m.frontchannel_logout_uri, "frontchannel_logout_uri", {environment}, errors);
    if (uri && !hosts.contains(uri->host)) {
      Add(errors, "frontchannel_logout_uri", "frontchannel_logout_host_mismatch",
          "must be on the same host as a redirect URI");
    }
  } else if (m.frontchannel_logout_session_required) {
    Add(errors, "frontchannel_logout_session_required", "requires_frontchannel_logout_uri",
        "needs a frontchannel_logout_uri");
  }
}

void ValidateLifetimes(const ClientMetadata& m, Errors& errors) {
  bool positive = true;
  const auto check = [&](std::int64_t value, const char* field) {
    if (value <= 0) {
      Add(errors, field, "lifetime_not_positive", "must be a positive number of seconds");
      positive = false;
    }
  };
  check(m.access_token_lifetime, "access_token_lifetime");
  check(m.refresh_token_lifetime, "refresh_token_lifetime");
  check(m.authorization_lifetime, "authorization_lifetime");
  if (!positive) return;
  if (m.access_token_lifetime >= m.refresh_token_lifetime) {
    Add(errors, "access_token_lifetime", "access_lifetime_not_below_refresh",
        "must be shorter than refresh_token_lifetime");
  }
  if (m.refresh_token_lifetime > m.authorization_lifetime) {
    Add(errors, "refresh_token_lifetime", "refresh_lifetime_exceeds_authorization",
        "must not exceed authorization_lifetime");
  }
}

void ValidateOnBehalfOf(const ClientMetadata& m, Environment environment, Errors& errors) {
  if (m.onbehalfof.empty()) return;
  if (!IsUserFacing(m.integration_type)) {
    Add(errors, "onbehalfof", "not_allowed_for_integration_type",
        "onbehalfof is for user-facing clients");
    return;
  }
  if (m.onbehalfof.size() > kMaxOnBehalfOf) {
    Add(errors, "onbehalfof", "too_many_items", "at most 10 onbehalfof records");
    return;
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < m.onbehalfof.size(); ++i) {
    const std::string path = FieldPath("onbehalfof", i);
    const OnBehalfOf& record = m.onbehalfof[i];
    const std::string value_path = FieldPath(path, "onbehalfof");
    if (record.onbehalfof.empty()) {
      Add(errors, value_path, "required", "is required");
    } else if (!IsIdentifier(record.onbehalfof, kMaxOnBehalfOfValueLength)) {
      Add(errors, value_path, "invalid_onbehalfof",
          "must be 1 to 100 letters, digits, '.', '_' or '-'");
    } else if (!seen.insert(record.onbehalfof).second) {
      Add(errors, value_path, "duplicate_value", "listed more than once");
    }
    if (IsBlank(record.display_name)) {
      Add(errors, FieldPath(path, "display_name"), "required", "is required");
    } else {
      CheckText(record.display_name, FieldPath(path, "display_name"), kMaxNameLength, errors);
    }
    CheckOrgno(record.orgno, FieldPath(path, "orgno"), errors);
    if (record.url) CheckUri(*record.url, FieldPath(path, "url"), {environment}, errors);
  }
}

void ValidateContacts(const ClientMetadata& m, Errors& errors) {
  if (m.contacts.size() > kMaxContacts) {
    Add(errors, "contacts", "too_many_items", "at most 10 contacts");
    return;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < m.contacts.size(); ++i) {
    const std::string path = FieldPath("contacts", i);
    if (!IsEmail(m.contacts[i])) {
      Add(errors, path, "invalid_email", "not a valid e-mail address");
    } else if (!seen.insert(ToLower(m.contacts[i])).second) {
      Add(errors, path, "duplicate_value", "listed more than once");
    }
  }
}

}  // namespace

std::vector<FieldError> ValidateClientMetadata(const ClientMetadata& m, Environment environment,
                                               const ScopeCatalogue& scopes) {
  Errors errors;

  if (IsBlank(m.client_name)) {
    Add(errors, "client_name", "required", "is required");
  } else {
    CheckText(m.client_name, "client_name", kMaxNameLength, errors);
  }
  if (m.display_name) {
    if (IsBlank(*m.display_name)) {
      Add(errors, "display_name", "blank", "must not be blank when present");
    } else {
      CheckText(*m.display_name, "display_name", kMaxNameLength, errors);
    }
  }
  if (m.description) CheckText(*m.description, "description", kMaxDescriptionLength, errors);
  if (m.client_uri) CheckUri(*m.client_uri, "client_uri", {environment}, errors);
  if (m.logo_uri) CheckUri(*m.logo_uri, "logo_uri", {environment}, errors);

  ValidateApplicationAndAuth(m, errors);
  ValidateGrantTypes(m, errors);
  ValidateScopes(m, scopes, errors);
  ValidateRedirects(m, environment, errors);
  ValidateLifetimes(m, errors);

  CheckOrgno(m.client_orgno, "client_orgno", errors);
  if (m.supplier_orgno) {
    if (!IsValidOrgno(*m.supplier_orgno)) {
      Add(errors, "supplier_orgno", "invalid_orgno", "not a valid organisation number");
    }
  }
  ValidateOnBehalfOf(m, environment, errors);

  if (m.jwks.size() > kMaxJwks) {
    Add(errors, "jwks", "too_many_items", "at most 5 keys");
  } else {
    std::set<std::string> kids;
    for (std::size_t i = 0; i < m.jwks.size(); ++i) {
      ValidateJwk(m.jwks[i], FieldPath("jwks", i), kids, errors);
    }
  }
  ValidateContacts(m, errors);
  return errors;
}

std::vector<FieldError> ValidateJwks(const std::vector<Jwk>& jwks, const std::string& path) {
  Errors errors;
  if (jwks.size() > kMaxJwks) {
    Add(errors, path, "too_many_items", "at most 5 keys");
    return errors;
  }
  std::set<std::string> kids;
  for (std::size_t i = 0; i < jwks.size(); ++i)
    ValidateJwk(jwks[i], FieldPath(path, i), kids, errors);
  return errors;
}

void EnsureValidClientMetadata(const ClientMetadata& metadata, Environment environment,
                               const ScopeCatalogue& scopes) {
  auto errors = ValidateClientMetadata(metadata, environment, scopes);
  if (!errors.empty()) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "", std::move(errors));
  }
}

}  // namespace onboard::domain
