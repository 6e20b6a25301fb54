#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// The one-time download (usecases::ClientSecrets::TakePackage): the first call gets the
// zip and destroys the stored copy in the same transaction; any later call answers 410 and
// leaves an audit alarm, since a second download may mean the package was intercepted.
void DeliveryPackageGet(RequestContext& ctx, AppServices& svc) {
  const usecases::DownloadedPackage p =
      svc.use_cases.secrets.TakePackage(ctx.UseCaseCaller(), ctx.Param("delivery_id"));
  ctx.response.set("Cache-Control", "no-store");
  ctx.response.set("Content-Disposition", "attachment; filename=\"credentials-" +
                                              p.delivery.environment + "-" + p.delivery.client_id +
                                              ".zip\"");
  WriteBody(ctx, 200, "application/zip", p.zip.reveal());
}

}  // namespace onboard::http::handlers
