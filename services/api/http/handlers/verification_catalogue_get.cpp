#include "codecs.hpp"
#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/verification-catalogue[?version=N]: the current catalogue, or an older version.
void VerificationCatalogueGet(RequestContext& ctx, AppServices& svc) {
  const domain::VerificationCatalogue catalogue =
      svc.use_cases.verifications.Catalogue(ctx.Query("version"));
  ctx.response.set("ETag", VersionEtag(catalogue.version));
  WriteJson(ctx, 200, *CatalogueJson(catalogue));
}

}  // namespace onboard::http::handlers
