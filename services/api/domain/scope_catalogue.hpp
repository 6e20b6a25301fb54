#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "client_metadata.hpp"

namespace onboard::domain {

/// Which scopes a client of each integration type may register. An immutable value once
/// built: share it freely between threads for reading; mutation (`Allow`) is not
/// thread-safe.
class ScopeCatalogue {
 public:
  using ScopeSet = std::set<std::string, std::less<>>;

  /// An empty catalogue: no scope is allowed for any integration type.
  ScopeCatalogue() = default;

  /// The built-in catalogue, used when the configuration names none. See the .cpp for the
  /// list and why each scope is there.
  static ScopeCatalogue Default();

  /// Builds a catalogue from configuration shaped as
  /// `{"idporten": ["openid", "profile"], "maskinporten": ["prefix:name"], ...}`.
  /// The result replaces the default entirely: an integration type that is not named gets
  /// no scopes. Every scope must be an RFC 6749 scope-token; `maskinporten` scopes must be
  /// `<prefix>:<name>` with a lower-case alphanumeric prefix. Throws
  /// AppError(kValidation) listing every problem (unknown integration type, wrong JSON
  /// type, bad scope) as field errors.
  static ScopeCatalogue FromJson(const Poco::JSON::Object& obj);

  /// Adds one scope for one integration type (no syntax check).
  void Allow(IntegrationType type, std::string scope);

  /// True if `scope` may be registered by a client of `type`.
  bool IsAllowed(IntegrationType type, std::string_view scope) const;

  /// The allowed scopes for `type` (empty set if none). The reference stays valid as long
  /// as the catalogue is alive and unmodified.
  const ScopeSet& AllowedScopes(IntegrationType type) const;

 private:
  std::map<IntegrationType, ScopeSet> scopes_;
};

/// True if `scope` is an RFC 6749 section 3.3 scope-token: one or more of
/// %x21 / %x23-5B / %x5D-7E (printable ASCII except space, `"` and `\`). Never throws.
bool IsScopeToken(std::string_view scope) noexcept;

}  // namespace onboard::domain
