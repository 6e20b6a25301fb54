#include "handlers.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 delete: the client is deactivated (never deleted, so its history stays whole)
// and its registration access token stops working.
void RegisterDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = registration::Authenticate(ctx, svc);
  domain::Client next = current;
  next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kDeactivate);
  const domain::ClientWrite write{"deactivate", "[]", registration::RegistrationAudit(ctx, "client.deactivate", current),
                                  std::nullopt};
  svc.clients.Update(next, current.version, write);
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
