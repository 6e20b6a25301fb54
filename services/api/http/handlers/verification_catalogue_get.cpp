#include <Poco/NumberParser.h>

#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/verification-catalogue[?version=N]: the current catalogue, or an older version.
void VerificationCatalogueGet(RequestContext& ctx, AppServices& svc) {
  const std::string requested = ctx.Query("version");
  domain::VerificationCatalogue catalogue;
  if (requested.empty()) {
    catalogue = svc.verifications.CurrentCatalogue();
  } else {
    int version = 0;
    if (!Poco::NumberParser::tryParse(requested, version) || version < 1) {
      throw AppError(ErrorCode::kValidation, "version must be a positive integer", "",
                     {{"version", "invalid_value", "version must be a positive integer"}});
    }
    auto found = svc.verifications.FindCatalogue(version);
    if (!found) throw AppError(ErrorCode::kNotFound, "no such catalogue version");
    catalogue = std::move(*found);
  }
  ctx.response.set("ETag", VersionEtag(catalogue.version));
  WriteJson(ctx, 200, *CatalogueJson(catalogue));
}

}  // namespace onboard::http::handlers
