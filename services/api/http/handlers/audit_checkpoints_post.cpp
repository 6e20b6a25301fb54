#include "audit_checkpoint_codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// Signs the current head now. The body, when there is one, must be an empty JSON object.
void AuditCheckpointsPost(RequestContext& ctx, AppServices& svc) {
  if (ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0) {
    JsonFields(*ReadBody(ctx, svc)).Finish();
  }
  const domain::Checkpoint checkpoint = svc.use_cases.audit.WriteCheckpoint(ctx.UseCaseCaller());
  ctx.response.set(
      "Location", "/v1/audit/checkpoints?cursor=" + std::to_string(checkpoint.id + 1) + "&limit=1");
  WriteJson(ctx, 201, audit::CheckpointJson(checkpoint));
}

}  // namespace onboard::http::handlers
