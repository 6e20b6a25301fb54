#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

void TermsGet(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, *TermsJson(svc.use_cases.terms.Get(ctx.Param("version"))));
}

}  // namespace onboard::http::handlers
