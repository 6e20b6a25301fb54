#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

void TermsGet(RequestContext& ctx, AppServices& svc) {
  const std::string& version = ctx.Param("version");
  std::optional<domain::Terms> terms;
  if (domain::IsValidTermsVersion(version)) terms = svc.terms.Find(version);
  if (!terms) throw AppError(ErrorCode::kNotFound, "no such terms version");
  WriteJson(ctx, 200, *TermsJson(*terms));
}

}  // namespace onboard::http::handlers
