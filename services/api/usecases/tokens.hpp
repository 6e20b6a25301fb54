#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api_token.hpp"
#include "caller.hpp"
#include "error.hpp"
#include "unit_of_work.hpp"
#include "use_case.hpp"

/// API tokens: create (the secret shown once), list, revoke.
namespace onboard::usecases {

/// POST /v1/tokens.
struct NewToken {
  std::string name;
  std::string role;                         ///< operator, portal, auditor or provider
  std::optional<int> expires_in_days;       ///< 1..3650; std::nullopt: never
  std::optional<std::string> organisation;  ///< portal tokens only
  std::vector<FieldError> input_errors;
};

class Tokens {
 public:
  Tokens(domain::TokenStore& store, domain::UnitsOfWork& units, Caches& caches)
      : store_(store), units_(units), caches_(caches) {}

  /// Validates (role, organisation only for portal tokens and mod-11, name, expiry) and
  /// stores the token's hash; writes `token.create`. The result's secret is the only copy.
  domain::IssuedToken Create(const Caller& caller, const NewToken& command);
  std::vector<domain::ApiToken> List();
  /// kNotFound "no active token with this id"; writes `token.revoke` and, once that has
  /// committed, makes the token cache forget the token (an after-commit hook).
  domain::ApiToken Revoke(const Caller& caller, const std::string& id);

 private:
  domain::TokenStore& store_;
  domain::UnitsOfWork& units_;
  Caches& caches_;
};

}  // namespace onboard::usecases
