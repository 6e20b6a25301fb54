#include "audit_checkpoint_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "paging.hpp"

namespace onboard::http::handlers {

// Signs the current head now. The body, when there is one, must be an empty JSON object.
void AuditCheckpointsPost(RequestContext& ctx, AppServices& svc) {
  if (ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0) {
    auto body = ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
    JsonFields fields(*body);
    fields.Finish();
  }
  if (svc.checkpoint_signer == nullptr) {
    throw AppError(ErrorCode::kConflict,
                   "no checkpoint key is configured (audit.checkpoint_key_file)", "", {},
                   "checkpoint_key_missing");
  }
  domain::AuditEvent audit = ctx.Audit("audit.checkpoint", "audit_checkpoint", "", "");
  auto checkpoint = svc.audit_log.WriteCheckpoint(domain::CheckpointKind::kOnDemand,
                                                  *svc.checkpoint_signer, "", audit);
  if (!checkpoint)
    throw AppError(ErrorCode::kInternal, "internal error", "on-demand checkpoint not written");
  ctx.response.set("Location", "/v1/audit/checkpoints?cursor=" +
                                   std::to_string(checkpoint->id + 1) + "&limit=1");
  WriteJson(ctx, 201, audit::CheckpointJson(*checkpoint));
}

}  // namespace onboard::http::handlers
