#include "scope_catalogue.hpp"

#include <Poco/JSON/Array.h>

#include <utility>
#include <vector>

#include "error.hpp"

namespace onboard::domain {

namespace {

bool IsMaskinportenScope(std::string_view scope) {
  const auto colon = scope.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == scope.size()) return false;
  for (char c : scope.substr(0, colon)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Poco::JSON::Array::Ptr AsArray(const Poco::Dynamic::Var& value) {
  if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    return value.extract<Poco::JSON::Array::Ptr>();
  }
  if (value.type() == typeid(Poco::JSON::Array)) {
    return new Poco::JSON::Array(value.extract<Poco::JSON::Array>());
  }
  return nullptr;
}

}  // namespace

bool IsScopeToken(std::string_view scope) noexcept {
  if (scope.empty()) return false;
  for (char c : scope) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E || u == 0x22 || u == 0x5C) return false;
  }
  return true;
}

// The built-in catalogue mirrors scopes the real provider publishes, so that a fresh
// installation accepts realistic registrations:
// - idporten: OpenID Connect login (`openid`, `profile`) plus the user's own contact
//   information from the contact register.
// - ansattporten: login for employees; only the OIDC scopes.
// - api_klient: user-facing clients that call APIs on the user's behalf; the OIDC scopes
//   and a few well-known user-centric API scopes.
// - maskinporten: machine-to-machine API access; scopes are always `<prefix>:<name>`
//   where the prefix names the API owner.
// - krr: the contact and reservation register's lookup scopes.
// - eformidling: the message-transport scopes of eFormidling (`move/...`) and the
//   register lookups it needs (`global/...`).
// Operators replace this list through configuration (FromJson) as APIs come and go.
ScopeCatalogue ScopeCatalogue::Default() {
  ScopeCatalogue catalogue;
  const std::vector<std::pair<IntegrationType, std::vector<std::string>>> defaults = {
      {IntegrationType::kIdporten, {"openid", "profile", "krr:global/kontaktinformasjon.read"}},
      {IntegrationType::kAnsattporten, {"openid", "profile"}},
      {IntegrationType::kApiKlient,
       {"openid", "profile", "skatteetaten:formueinntekt/skattemelding",
        "nav:aareg/v1/arbeidsforhold", "altinn:instances.read", "altinn:instances.write"}},
      {IntegrationType::kMaskinporten,
       {"skatteetaten:mvameldingvalidering", "skatteetaten:mvameldinginnsending",
        "nav:aareg/v1/arbeidsforhold/tjenesteeier", "altinn:serviceowner/instances.read",
        "digdir:dialogporten", "ssb:statistikk.read"}},
      {IntegrationType::kKrr,
       {"krr:global/kontaktinformasjon.read", "krr:global/digitalpost.read"}},
      {IntegrationType::kEformidling,
       {"move/dpo.read", "move/dpe.read", "move/dpv.read", "move/dpf.read", "move/dpi.read",
        "global/kontaktinformasjon.read", "global/sikkerdigitalpost.read",
        "global/varslingsstatus.read", "global/sertifikat.read", "global/navn.read",
        "global/postadresse.read"}},
  };
  for (const auto& [type, scopes] : defaults) {
    for (const auto& scope : scopes) catalogue.Allow(type, scope);
  }
  return catalogue;
}

ScopeCatalogue ScopeCatalogue::FromJson(const Poco::JSON::Object& obj) {
  ScopeCatalogue catalogue;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : obj) {
    const auto type = IntegrationTypeFromString(key);
    if (!type) {
      errors.push_back({key, "unknown_integration_type", "not a known integration type"});
      continue;
    }
    const auto array = AsArray(value);
    if (!array) {
      errors.push_back({key, "invalid_type", "must be an array of strings"});
      continue;
    }
    catalogue.scopes_[*type];
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = key + "/" + std::to_string(i);
      const auto item = array->get(static_cast<unsigned>(i));
      if (item.type() != typeid(std::string)) {
        errors.push_back({path, "invalid_type", "must be a string"});
        continue;
      }
      const auto& scope = item.extract<std::string>();
      if (!IsScopeToken(scope)) {
        errors.push_back({path, "invalid_scope", "not a valid scope token"});
      } else if (*type == IntegrationType::kMaskinporten && !IsMaskinportenScope(scope)) {
        errors.push_back({path, "invalid_scope", "maskinporten scopes are <prefix>:<name>"});
      } else {
        catalogue.Allow(*type, scope);
      }
    }
  }
  if (!errors.empty()) {
    throw AppError(ErrorCode::kValidation, "scope catalogue is invalid", "", std::move(errors));
  }
  return catalogue;
}

void ScopeCatalogue::Allow(IntegrationType type, std::string scope) {
  scopes_[type].insert(std::move(scope));
}

bool ScopeCatalogue::IsAllowed(IntegrationType type, std::string_view scope) const {
  const auto it = scopes_.find(type);
  return it != scopes_.end() && it->second.contains(scope);
}

const ScopeCatalogue::ScopeSet& ScopeCatalogue::AllowedScopes(IntegrationType type) const {
  static const ScopeSet kEmpty;
  const auto it = scopes_.find(type);
  return it == scopes_.end() ? kEmpty : it->second;
}

}  // namespace onboard::domain
