#include "codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

void OnboardingGet(RequestContext& ctx, AppServices& svc) {
  const domain::Onboarding o = svc.use_cases.onboardings.Get(ctx.UseCaseCaller(), ctx.Param("id"));
  ctx.response.set("ETag", VersionEtag(o.version));
  WriteJson(ctx, 200, *OnboardingJson(o));
}

}  // namespace onboard::http::handlers
