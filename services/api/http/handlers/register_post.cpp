#include <Poco/JSON/Object.h>

#include <chrono>

#include "api_token.hpp"
#include "client_common.hpp"
#include "client_secret.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7591 dynamic registration of a test client; the bearer token (operator or portal)
// is the initial access token.
void RegisterPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  const std::string default_orgno = ctx.IsPortal() ? ctx.caller->portal_org : std::string();
  domain::ClientMetadata metadata = registration::ParseAndValidate(*body, default_orgno, svc);
  if (ctx.IsPortal() && metadata.client_orgno != ctx.caller->portal_org) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "not_own_organisation", "must be the organisation the token acts for"}});
  }
  if (metadata.client_orgno.empty()) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "required", "client_orgno is required for operator registrations"}});
  }
  if (!svc.organisations.Find(metadata.client_orgno)) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "unknown_organisation", "the organisation is not registered"}});
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  crypto::SecretString registration_token = domain::GenerateTokenSecret();

  domain::Client client;
  client.client_id = crypto::NewUuid();
  client.environment = domain::Environment::kTest;
  client.state = domain::ClientState::kActive;
  client.registration_channel = "registration_api";
  client.created_by = ctx.caller->token_name;
  client.metadata = std::move(metadata);
  client.metadata_json = domain::MetadataToJsonText(client.metadata);

  domain::ClientWrite write;
  write.change = "create";
  write.diff_json = domain::DiffMetadataJson("{}", client.metadata_json);
  write.audit =
      ctx.Audit("client.create", "client", client.client_id, client.metadata.client_orgno);
  std::optional<domain::IssuedSecret> secret;
  if (registration::UsesSecret(client.metadata.token_endpoint_auth_method)) {
    secret = domain::NewClientSecret(svc.config.secrets.pepper, svc.config.secrets.lifetime_days,
                                     now, ctx.caller->token_name);
    write.new_secret = secret->record;
  }
  Poco::JSON::Object detail;
  detail.set("environment", "test");
  detail.set("channel", "registration_api");
  if (secret) detail.set("secret_id", secret->record.secret_id);
  std::ostringstream detail_text;
  detail.stringify(detail_text);
  write.audit.detail_json = detail_text.str();

  domain::Client created =
      svc.clients.Create(client, domain::HashToken(registration_token.reveal()), write);
  Poco::JSON::Object::Ptr out = registration::ClientInformation(created, ctx, svc);
  out->set("client_id_issued_at", now);
  out->set("registration_access_token", registration_token.reveal());
  if (secret) {
    out->set("client_secret", secret->secret.reveal());
    out->set("client_secret_expires_at", secret->record.expires_at_epoch);
  }
  ctx.response.set("Location", out->getValue<std::string>("registration_client_uri"));
  WriteJson(ctx, 201, *out);
}

}  // namespace onboard::http::handlers
