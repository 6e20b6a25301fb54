#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/verification-catalogue {"cases": [...]}: publishes the full list as the next
// version. If-Match (the current version) guards against publishing over a version the
// operator has not seen.
void VerificationCataloguePost(RequestContext& ctx, AppServices& svc) {
  usecases::NewCatalogue command = ReadNewCatalogue(*ReadBody(ctx, svc));
  command.expected_version = ReadIfMatch(ctx);
  const domain::VerificationCatalogue published =
      svc.use_cases.verifications.Publish(ctx.UseCaseCaller(), command);
  ctx.response.set("Location",
                   "/v1/verification-catalogue?version=" + std::to_string(published.version));
  ctx.response.set("ETag", VersionEtag(published.version));
  WriteJson(ctx, 201, *CatalogueJson(published));
}

}  // namespace onboard::http::handlers
