#include "codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

void OnboardingGet(RequestContext& ctx, AppServices& svc) {
  const domain::Onboarding o = FindVisibleOnboarding(ctx, svc.onboardings, ctx.Param("id"));
  ctx.response.set("ETag", VersionEtag(o.version));
  WriteJson(ctx, 200, *OnboardingJson(o));
}

}  // namespace onboard::http::handlers
