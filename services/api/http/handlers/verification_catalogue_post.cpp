#include <Poco/JSON/Array.h>

#include <algorithm>

#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/verification-catalogue {"cases": [...]}: publishes the full list as the next
// version. If-Match (the current version) guards against publishing over a version the
// operator has not seen.
void VerificationCataloguePost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  std::vector<domain::VerificationCase> cases = ReadCatalogueCases(f);
  f.AddErrors(domain::ValidateCatalogueCases(cases));
  f.Finish("the verification catalogue is invalid");

  const domain::VerificationCatalogue current = svc.verifications.CurrentCatalogue();
  const int if_match = ParseIfMatch(ctx.request.get("If-Match", ""));
  if (if_match >= 0 && if_match != current.version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the catalogue is at version " + std::to_string(current.version) +
                       " now; reload it and retry",
                   "", {}, "version_mismatch");
  }
  domain::VerificationCatalogue next;
  next.version = current.version + 1;
  next.cases = std::move(cases);
  std::sort(next.cases.begin(), next.cases.end(),
            [](const domain::VerificationCase& a, const domain::VerificationCase& b) {
              return a.id < b.id;
            });
  next.published_by = ctx.caller->token_name;

  domain::AuditEvent audit = ctx.Audit("verification_catalogue.publish", "verification_catalogue",
                                       std::to_string(next.version), "");
  Poco::JSON::Object detail;
  detail.set("version", next.version);
  detail.set("previous_version", current.version);
  Poco::JSON::Array mandatory, optional;
  for (const auto& c : next.cases) (c.mandatory ? mandatory : optional).add(c.id);
  detail.set("mandatory", mandatory);
  detail.set("optional", optional);
  audit.detail_json = AuditDetail(detail);
  domain::VerificationCatalogue published;
  try {
    published = svc.verifications.PublishCatalogue(next, audit);
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict) {
      throw AppError(ErrorCode::kConflict,
                     "another catalogue version was published meanwhile; reload it and retry",
                     e.internal(), {}, "catalogue_changed");
    }
    throw;
  }
  ctx.response.set("Location",
                   "/v1/verification-catalogue?version=" + std::to_string(published.version));
  ctx.response.set("ETag", VersionEtag(published.version));
  WriteJson(ctx, 201, *CatalogueJson(published));
}

}  // namespace onboard::http::handlers
