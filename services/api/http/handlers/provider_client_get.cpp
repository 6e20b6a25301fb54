#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers {

// GET /v1/provider/clients/{client_id}: the runtime configuration the provider needs
// (metadata, state, JWKS, secret expiry; never secret material) from the cached snapshot,
// with a strong ETag so a polling provider gets 304 while nothing changed.
void ProviderClientGet(RequestContext& ctx, AppServices& svc) {
  auto runtime = svc.provider.Runtime(ctx.Param("client_id"));
  if (!runtime) throw AppError(ErrorCode::kNotFound, "no such client");
  ctx.response.set("ETag", runtime->etag);
  const std::string& if_none_match = ctx.request.get("If-None-Match", "");
  if (!if_none_match.empty() &&
      (if_none_match == "*" || if_none_match.find(runtime->etag) != std::string::npos)) {
    ctx.status = 304;
    ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    ctx.response.setContentLength(0);
    ctx.response.send();
    return;
  }
  WriteBody(ctx, 200, "application/json", runtime->document);
}

}  // namespace onboard::http::handlers
