#include "handlers.hpp"
#include "provider_service.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 delete: the client is deactivated (never deleted, so its history stays whole)
// and its registration access token stops working.
void RegisterDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = registration::Authenticate(ctx, svc);
  domain::Client next = current;
  next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kDeactivate);
  domain::AuditEvent audit = registration::RegistrationAudit(ctx, "client.deactivate", current);
  audit.detail_json = R"({"channel":"registration_api","registration_token_retired":true})";
  // RFC 7592 section 2.3: the registration access token and any secret stop working for
  // good; reactivating the client later (an operator's decision) does not revive them.
  const domain::ClientWrite write{.change = "deactivate",
                                  .diff_json = "[]",
                                  .audit = std::move(audit),
                                  .new_secret = std::nullopt,
                                  .revoke_secrets = true,
                                  .retire_registration_token = true};
  svc.clients.Update(next, current.version, write);
  svc.provider.Invalidate(current.client_id);
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
