#include "handlers.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 delete: the client is deactivated and its registration access token retired.
void RegisterDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.registration.Delete(registration::ReadAccess(ctx));
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
