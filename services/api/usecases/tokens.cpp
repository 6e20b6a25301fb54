#include "tokens.hpp"

#include <Poco/JSON/Object.h>

#include "json_text.hpp"
#include "merge_patch.hpp"
#include "orgno.hpp"
#include "uuid.hpp"

namespace onboard::usecases {

domain::IssuedToken Tokens::Create(const Caller& caller, const NewToken& command) {
  std::vector<FieldError> rules;
  const auto role = domain::ParseRole(command.role);
  if (!command.role.empty() && !role) {
    rules.push_back({"role", "invalid_role", "role must be operator, portal, auditor or provider"});
  }
  if (command.organisation && (!role || *role != domain::Role::kPortal)) {
    rules.push_back(
        {"organisation", "portal_only", "only portal tokens can be bound to an organisation"});
  } else if (command.organisation && !domain::IsValidOrgno(*command.organisation)) {
    rules.push_back({"organisation", "invalid_orgno", "not a valid organisation number"});
  }
  ThrowIfInvalid(command.input_errors, rules, "the token request is invalid");
  domain::ValidateNewToken(command.name, command.expires_in_days);

  crypto::SecretString secret = domain::GenerateTokenSecret();
  domain::ApiToken token;
  token.id = crypto::NewUuid();
  token.name = command.name;
  token.role = *role;
  token.organisation = command.organisation;
  token.prefix = domain::TokenDisplayPrefix(secret.reveal());
  token.created_by = caller.who;
  domain::AuditEvent audit = caller.Audit("token.create", "api_token", token.id, "");
  Poco::JSON::Object detail;
  detail.set("name", command.name);
  detail.set("role", command.role);
  if (command.organisation) detail.set("organisation", *command.organisation);
  audit.detail_json = json::Text(detail);
  auto unit = units_.Begin();
  unit->Record(std::move(audit));
  domain::ApiToken created =
      store_.Create(*unit, token, domain::HashToken(secret.reveal()), command.expires_in_days);
  unit->Commit();
  return domain::IssuedToken{std::move(created), std::move(secret)};
}

std::vector<domain::ApiToken> Tokens::List() { return store_.List(); }

domain::ApiToken Tokens::Revoke(const Caller& caller, const std::string& id) {
  if (!IsUuid(id)) throw AppError(ErrorCode::kNotFound, "no active token with this id");
  auto unit = units_.Begin();
  unit->Record(caller.Audit("token.revoke", "api_token", id, ""));
  domain::ApiToken revoked = store_.Revoke(*unit, id);
  unit->AfterCommit([this] { caches_.TokensChanged(); });
  unit->Commit();
  return revoked;
}

}  // namespace onboard::usecases
