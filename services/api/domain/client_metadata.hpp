#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onboard::domain {

/// The provider's environments. A client lives in exactly one of them.
enum class Environment { kTest, kProduction };

/// What a client is for; fixed after creation (DOMAIN.md "Client metadata").
enum class IntegrationType {
  kIdporten,
  kApiKlient,
  kAnsattporten,
  kMaskinporten,
  kKrr,
  kEformidling
};

/// RFC 7591 / OIDC `application_type`, extended with the provider's `browser` (SPA).
enum class ApplicationType { kWeb, kBrowser, kNative };

/// `token_endpoint_auth_method`.
enum class AuthMethod { kClientSecretBasic, kClientSecretPost, kPrivateKeyJwt, kNone };

/// `refresh_token_usage`.
enum class RefreshTokenUsage { kOnetime, kReuse };

/// Wire names of the grant types the provider knows.
inline constexpr std::string_view kGrantAuthorizationCode = "authorization_code";
inline constexpr std::string_view kGrantRefreshToken = "refresh_token";
inline constexpr std::string_view kGrantJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Defaults from DOMAIN.md, in seconds.
inline constexpr std::int64_t kDefaultAccessTokenLifetime = 120;
inline constexpr std::int64_t kDefaultRefreshTokenLifetime = 600;
inline constexpr std::int64_t kDefaultAuthorizationLifetime = 7200;

/// Wire names, exactly as DOMAIN.md spells them (`idporten`, `api_klient`, `web`,
/// `client_secret_basic`, `ONETIME`, ...). Never throw.
std::string_view ToString(Environment value) noexcept;
std::string_view ToString(IntegrationType value) noexcept;
std::string_view ToString(ApplicationType value) noexcept;
std::string_view ToString(AuthMethod value) noexcept;
std::string_view ToString(RefreshTokenUsage value) noexcept;

/// Parses a wire name (case-sensitive, exact); std::nullopt if it is not one. Never throw.
std::optional<Environment> EnvironmentFromString(std::string_view text) noexcept;
std::optional<IntegrationType> IntegrationTypeFromString(std::string_view text) noexcept;
std::optional<ApplicationType> ApplicationTypeFromString(std::string_view text) noexcept;
std::optional<AuthMethod> AuthMethodFromString(std::string_view text) noexcept;
std::optional<RefreshTokenUsage> RefreshTokenUsageFromString(std::string_view text) noexcept;

/// True for the integration types whose clients log end users in through a browser
/// redirect (`idporten`, `ansattporten`, `api_klient`); false for the machine-to-machine
/// types (`maskinporten`, `krr`, `eformidling`).
bool IsUserFacing(IntegrationType type) noexcept;

/// True for OpenID Connect login clients (`idporten`, `ansattporten`): they need `openid`
/// and a post-logout redirect URI.
bool IsLoginClient(IntegrationType type) noexcept;

/// Default `token_endpoint_auth_method` when the request names none: `none` for
/// user-facing browser/native clients, `client_secret_basic` for user-facing web
/// clients, `private_key_jwt` for machine clients.
AuthMethod DefaultAuthMethod(IntegrationType type, ApplicationType app) noexcept;

/// True for the methods that authenticate with a client secret (`client_secret_basic`,
/// `client_secret_post`).
bool UsesClientSecret(AuthMethod method) noexcept;

/// Default `grant_types`: `authorization_code` for user-facing types, the jwt-bearer
/// grant for machine types.
std::vector<std::string> DefaultGrantTypes(IntegrationType type);

/// Default `scopes`: `openid profile` for the login clients, none otherwise (a client of
/// another type must name its scopes).
std::vector<std::string> DefaultScopes(IntegrationType type);

/// One `onbehalfof` record: a supplier's client acting for one of its customers.
struct OnBehalfOf {
  std::string onbehalfof;
  std::string display_name;
  std::string orgno;
  std::optional<std::string> url;

  bool operator==(const OnBehalfOf&) const = default;
};

/// One registered public key (RFC 7517 JWK, RSA members only). `x5c` holds standard
/// base64 DER certificates, leaf first.
struct Jwk {
  std::string kty;
  std::string alg;
  std::string use;
  std::optional<std::string> kid;
  std::string e;
  std::string n;
  std::optional<std::vector<std::string>> x5c;

  bool operator==(const Jwk&) const = default;
};

/// The metadata a service owner registers for a client (RFC 7591 shaped, with the
/// provider's extensions). Server-owned values (`client_id`, environment, `active`,
/// secrets) are not part of it. Plain value type; not validated by construction (see
/// client_validator.hpp).
struct ClientMetadata {
  std::string client_name;
  std::optional<std::string> display_name;
  std::optional<std::string> description;
  std::optional<std::string> client_uri;
  std::optional<std::string> logo_uri;
  IntegrationType integration_type = IntegrationType::kIdporten;
  ApplicationType application_type = ApplicationType::kWeb;
  AuthMethod token_endpoint_auth_method = AuthMethod::kClientSecretBasic;
  std::vector<std::string> grant_types;
  std::vector<std::string> scopes;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::optional<std::string> frontchannel_logout_uri;
  bool frontchannel_logout_session_required = false;
  std::int64_t access_token_lifetime = kDefaultAccessTokenLifetime;
  std::int64_t refresh_token_lifetime = kDefaultRefreshTokenLifetime;
  std::int64_t authorization_lifetime = kDefaultAuthorizationLifetime;
  RefreshTokenUsage refresh_token_usage = RefreshTokenUsage::kOnetime;
  std::string client_orgno;
  std::optional<std::string> supplier_orgno;
  bool sso_disabled = false;
  std::vector<OnBehalfOf> onbehalfof;
  std::vector<Jwk> jwks;
  /// RFC 7591 `contacts`: e-mail addresses of people responsible for the client.
  std::vector<std::string> contacts;

  bool operator==(const ClientMetadata&) const = default;
};

/// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
/// U+10FFFF). Never throws.
bool IsValidUtf8(std::string_view text) noexcept;

/// Number of Unicode code points in well-formed UTF-8 `text` (counts lead bytes; on
/// malformed input the result is an upper bound). Never throws.
std::size_t CountCodePoints(std::string_view text) noexcept;

}  // namespace onboard::domain
