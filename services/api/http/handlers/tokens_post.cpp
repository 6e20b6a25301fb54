#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

// The only response that ever carries a token: shown once, stored as a hash.
void TokensPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  const std::string name = f.String("name", true, 200).value_or("");
  const std::string role_text = f.String("role", true, 32).value_or("");
  const auto expires = f.Int("expires_in_days", false, 1, 3650);
  const auto organisation = f.String("organisation", false, 9);
  const auto role = domain::ParseRole(role_text);
  if (!role_text.empty() && !role) {
    f.AddError("role", "invalid_role", "role must be operator, portal, auditor or provider");
  }
  if (organisation && (!role || *role != domain::Role::kPortal)) {
    f.AddError("organisation", "portal_only", "only portal tokens can be bound to an organisation");
  } else if (organisation && !domain::IsValidOrgno(*organisation)) {
    f.AddError("organisation", "invalid_orgno", "not a valid organisation number");
  }
  f.Finish("the token request is invalid");
  domain::ValidateNewToken(name,
                           expires ? std::optional<int>(static_cast<int>(*expires)) : std::nullopt);

  crypto::SecretString secret = domain::GenerateTokenSecret();
  domain::ApiToken token;
  token.id = crypto::NewUuid();
  token.name = name;
  token.role = *role;
  token.organisation = organisation;
  token.prefix = domain::TokenDisplayPrefix(secret.reveal());
  token.created_by = ctx.caller->token_name;
  domain::AuditEvent audit = ctx.Audit("token.create", "api_token", token.id, "");
  Poco::JSON::Object detail;
  detail.set("name", name);
  detail.set("role", role_text);
  if (organisation) detail.set("organisation", *organisation);
  std::ostringstream detail_text;
  detail.stringify(detail_text);
  audit.detail_json = detail_text.str();
  domain::ApiToken created =
      svc.tokens.Create(token, domain::HashToken(secret.reveal()),
                        expires ? std::optional<int>(*expires) : std::nullopt, audit);
  Poco::JSON::Object::Ptr out = TokenJson(created);
  out->set("token", secret.reveal());
  ctx.response.set("Location", "/v1/tokens/" + created.id);
  WriteJson(ctx, 201, *out);
}

}  // namespace onboard::http::handlers
