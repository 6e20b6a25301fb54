#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// The one-time download. The first call gets the zip and destroys the stored copy in the
// same transaction; any later call answers 410 and leaves an audit alarm, since a second
// download may mean the package was intercepted.
void DeliveryPackageGet(RequestContext& ctx, AppServices& svc) {
  const domain::Delivery d = secret_common::LoadVisibleDelivery(ctx, svc);
  const domain::AuditEvent audit =
      ctx.Audit("delivery.package_download", "delivery", d.id, d.organisation);
  domain::DownloadResult r = svc.secrets.TakePackage(d.id, ctx.source_ip, audit);
  switch (r.outcome) {
    case domain::DownloadOutcome::kDelivered:
      ctx.response.set("Cache-Control", "no-store");
      ctx.response.set("Content-Disposition", "attachment; filename=\"credentials-" +
                                                  d.environment + "-" + d.client_id + ".zip\"");
      WriteBody(ctx, 200, "application/zip", r.zip.reveal());
      return;
    case domain::DownloadOutcome::kAlreadyDownloaded:
      throw AppError(ErrorCode::kGone,
                     "the package was downloaded already; ask the operator team for a reissue", "",
                     {}, "package_already_downloaded");
    case domain::DownloadOutcome::kExpired:
      throw AppError(ErrorCode::kGone,
                     "the package is no longer available; ask the operator team for a reissue", "",
                     {}, "package_expired");
    case domain::DownloadOutcome::kNotDownloadable:
      throw AppError(ErrorCode::kConflict, "this delivery's package travels by e-mail", "", {},
                     "not_a_download");
  }
}

}  // namespace onboard::http::handlers
