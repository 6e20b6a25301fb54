#include "handlers.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 read: the secret is never shown again.
void RegisterGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = svc.use_cases.registration.Read(registration::ReadAccess(ctx));
  WriteJson(ctx, 200, *registration::ClientInformation(client, ctx, svc));
}

}  // namespace onboard::http::handlers
