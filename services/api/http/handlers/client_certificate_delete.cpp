#include <Poco/JSON/Object.h>

#include <sstream>

#include "client_common.hpp"
#include "client_keys_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers {

// DELETE /v1/clients/{client_id}/certificates/{kid}: removes a bound certificate (or a
// registered JWK: kids are unique per client), never the last key of an active
// private_key_jwt client.
void ClientCertificateDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  const std::string& kid = ctx.Param("kid");
  const domain::ClientMetadata& metadata = current.metadata;
  const bool keep_one = current.state == domain::ClientState::kActive &&
                        metadata.token_endpoint_auth_method == domain::AuthMethod::kPrivateKeyJwt &&
                        metadata.jwks.empty();
  domain::AuditEvent audit = ctx.Audit("client.key_remove", "client", current.client_id,
                                       client_common::OrganisationOf(current));
  Poco::JSON::Object detail;
  detail.set("kid", kid);
  detail.set("environment", std::string(domain::ToString(current.environment)));
  std::ostringstream text;
  detail.stringify(text);
  audit.detail_json = text.str();
  svc.keys.Remove(current.client_id, kid, ctx.caller->token_name, keep_one, audit);
  svc.provider.Invalidate(current.client_id);
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
