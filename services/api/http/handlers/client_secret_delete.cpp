#include <Poco/JSON/Object.h>

#include <sstream>

#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// Revokes one secret at once (no grace); a delivery still carrying it is stopped.
void ClientSecretDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  const std::string& secret_id = ctx.Param("secret_id");
  domain::AuditEvent audit = ctx.Audit("client.secret_revoke", "client", client.client_id,
                                       client_common::OrganisationOf(client));
  Poco::JSON::Object detail;
  detail.set("secret_id", secret_id);
  std::ostringstream text;
  detail.stringify(text);
  audit.detail_json = text.str();
  if (!svc.secrets.RevokeSecret(client.client_id, secret_id, audit)) {
    throw AppError(ErrorCode::kNotFound, "no such active secret");
  }
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
