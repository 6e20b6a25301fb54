#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 update: the request replaces the client's metadata.
void RegisterPut(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc);
  const domain::Client updated =
      svc.use_cases.registration.Update(registration::ReadAccess(ctx), *body);
  WriteJson(ctx, 200, *registration::ClientInformation(updated, ctx, svc));
}

}  // namespace onboard::http::handlers
