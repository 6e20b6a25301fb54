#include "client_metadata.hpp"

#include "enum_names.hpp"

namespace onboard::domain {

namespace {

constexpr EnumName<Environment> kEnvironments[] = {{Environment::kTest, "test"},
                                                   {Environment::kProduction, "production"}};

constexpr EnumName<IntegrationType> kIntegrationTypes[] = {
    {IntegrationType::kIdporten, "idporten"},
    {IntegrationType::kApiKlient, "api_klient"},
    {IntegrationType::kAnsattporten, "ansattporten"},
    {IntegrationType::kMaskinporten, "maskinporten"},
    {IntegrationType::kKrr, "krr"},
    {IntegrationType::kEformidling, "eformidling"}};

constexpr EnumName<ApplicationType> kApplicationTypes[] = {{ApplicationType::kWeb, "web"},
                                                           {ApplicationType::kBrowser, "browser"},
                                                           {ApplicationType::kNative, "native"}};

constexpr EnumName<AuthMethod> kAuthMethods[] = {
    {AuthMethod::kClientSecretBasic, "client_secret_basic"},
    {AuthMethod::kClientSecretPost, "client_secret_post"},
    {AuthMethod::kPrivateKeyJwt, "private_key_jwt"},
    {AuthMethod::kNone, "none"}};

constexpr EnumName<RefreshTokenUsage> kRefreshTokenUsages[] = {
    {RefreshTokenUsage::kOnetime, "ONETIME"}, {RefreshTokenUsage::kReuse, "REUSE"}};

}  // namespace

std::string_view ToString(Environment value) noexcept { return NameOf(kEnvironments, value); }
std::string_view ToString(IntegrationType value) noexcept {
  return NameOf(kIntegrationTypes, value);
}
std::string_view ToString(ApplicationType value) noexcept {
  return NameOf(kApplicationTypes, value);
}
std::string_view ToString(AuthMethod value) noexcept { return NameOf(kAuthMethods, value); }
std::string_view ToString(RefreshTokenUsage value) noexcept {
  return NameOf(kRefreshTokenUsages, value);
}

std::optional<Environment> EnvironmentFromString(std::string_view text) noexcept {
  return ValueOf(kEnvironments, text);
}
std::optional<IntegrationType> IntegrationTypeFromString(std::string_view text) noexcept {
  return ValueOf(kIntegrationTypes, text);
}
std::optional<ApplicationType> ApplicationTypeFromString(std::string_view text) noexcept {
  return ValueOf(kApplicationTypes, text);
}
std::optional<AuthMethod> AuthMethodFromString(std::string_view text) noexcept {
  return ValueOf(kAuthMethods, text);
}
std::optional<RefreshTokenUsage> RefreshTokenUsageFromString(std::string_view text) noexcept {
  return ValueOf(kRefreshTokenUsages, text);
}

bool IsUserFacing(IntegrationType type) noexcept {
  return type == IntegrationType::kIdporten || type == IntegrationType::kAnsattporten ||
         type == IntegrationType::kApiKlient;
}

bool IsLoginClient(IntegrationType type) noexcept {
  return type == IntegrationType::kIdporten || type == IntegrationType::kAnsattporten;
}

bool UsesClientSecret(AuthMethod method) noexcept {
  return method == AuthMethod::kClientSecretBasic || method == AuthMethod::kClientSecretPost;
}

AuthMethod DefaultAuthMethod(IntegrationType type, ApplicationType app) noexcept {
  if (!IsUserFacing(type)) return AuthMethod::kPrivateKeyJwt;
  return app == ApplicationType::kWeb ? AuthMethod::kClientSecretBasic : AuthMethod::kNone;
}

std::vector<std::string> DefaultGrantTypes(IntegrationType type) {
  if (IsUserFacing(type)) return {std::string(kGrantAuthorizationCode)};
  return {std::string(kGrantJwtBearer)};
}

std::vector<std::string> DefaultScopes(IntegrationType type) {
  if (IsLoginClient(type)) return {"openid", "profile"};
  return {};
}

bool IsValidUtf8(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t size = text.size();
  while (i < size) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      return false;
    }
    if (size - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::size_t CountCodePoints(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace onboard::domain
