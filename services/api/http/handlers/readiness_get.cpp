#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/readiness[?delivery=sms_zip|certificate]: the production
// checklist of a test client, item by item.
void ReadinessGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ClientReadiness r = svc.use_cases.verifications.Readiness(
      ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Query("delivery"));
  WriteJson(ctx, 200, *ReadinessJson(r.client_id, r.readiness));
}

}  // namespace onboard::http::handlers
