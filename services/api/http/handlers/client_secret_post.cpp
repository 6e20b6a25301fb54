#include <Poco/JSON/Object.h>

#include <ctime>
#include <sstream>

#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "provider_service.hpp"
#include "issuer.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// A new secret, with rotation: the previous ones stay valid for secrets.grace_days (at
// most secrets.max_old of them). A test client gets the secret once in this response; a
// production client's secret goes out as a delivery (encrypted zip + SMS password) and
// this answer names only the delivery. The operator team may name the destination; a
// self-service caller (an access token, POST /clients/{id}/secret) may not: its new secret
// goes to the contacts of the client's production order, so a leaked token cannot have a
// production secret sent to itself. Other portal callers leave production to the operators.
void ClientSecretPost(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  const bool production = client.environment == domain::Environment::kProduction;
  if (production && ctx.caller->role != domain::Role::kOperator && !ctx.caller->access_token) {
    throw AppError(ErrorCode::kForbidden, "only the operator team issues production secrets", "",
                   {}, "operator_only");
  }
  if (!secret_common::UsesClientSecret(client)) {
    throw AppError(ErrorCode::kConflict, "the client does not authenticate with a client secret",
                   "", {}, "no_secret_auth_method");
  }
  if (client.state == domain::ClientState::kDeactivated) {
    throw AppError(ErrorCode::kConflict, "the client is deactivated", "", {}, "client_deactivated");
  }
  const std::string organisation = client_common::OrganisationOf(client);
  if (production) {
    const secret_common::Destination destination =
        ctx.caller->access_token ? secret_common::ReadOrderDestination(ctx, svc, client)
                                 : secret_common::ReadDestination(ctx, svc);
    const domain::SecretIssuance issuance =
        secret_common::PrepareDelivery(ctx, svc, client, destination);
    svc.secrets.Issue(issuance);
    svc.provider.Invalidate(client.client_id);
    Poco::JSON::Object out;
    out.set("delivery_id", issuance.delivery->id);
    out.set("secret_id", issuance.secret.secret_id);
    out.set("channel", std::string(domain::ToString(issuance.delivery->channel)));
    ctx.response.set("Location", "/v1/deliveries/" + issuance.delivery->id);
    WriteJson(ctx, 202, out);
    return;
  }

  // Test client: no delivery, the secret is shown once.
  const bool has_body = ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0;
  if (has_body) {
    Poco::JSON::Object::Ptr body =
        ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
    JsonFields f(*body);
    f.Finish("a test client's secret is returned in the response; the request takes no fields");
  } else {
    ctx.body_consumed = true;
  }
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  domain::IssuedSecret issued = domain::NewClientSecret(
      svc.config.secrets.pepper, svc.config.secrets.lifetime_days, now, ctx.caller->token_name);
  domain::SecretIssuance issuance;
  issuance.client_id = client.client_id;
  issuance.secret = issued.record;
  issuance.grace_days = svc.config.secrets.grace_days;
  issuance.max_old = svc.config.secrets.max_old;
  issuance.audit = ctx.Audit("client.secret_issue", "client", client.client_id, organisation);
  Poco::JSON::Object detail;
  detail.set("secret_id", issued.record.secret_id);
  detail.set("secret_prefix", issued.record.prefix);
  detail.set("secret_expires_at", package::IsoUtc(issued.record.expires_at_epoch));
  detail.set("shown_once", true);
  std::ostringstream text;
  detail.stringify(text);
  issuance.audit.detail_json = text.str();
  svc.secrets.Issue(issuance);
  svc.provider.Invalidate(client.client_id);

  Poco::JSON::Object out;
  out.set("secret_id", issued.record.secret_id);
  out.set("client_id", client.client_id);
  out.set("client_secret", issued.secret.reveal());
  out.set("prefix", issued.record.prefix);
  out.set("expires_at", package::IsoUtc(issued.record.expires_at_epoch));
  out.set("client_secret_expires_at", issued.record.expires_at_epoch);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, out);
}

}  // namespace onboard::http::handlers
