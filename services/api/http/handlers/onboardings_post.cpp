#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// Opens a case. A portal caller may leave `organisation` out: it is the organisation the
// portal acts for.
void OnboardingsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewCase command = ReadNewCase(*ReadBody(ctx, svc));
  const domain::Onboarding created = svc.use_cases.onboardings.Open(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/onboardings/" + created.id);
  ctx.response.set("ETag", VersionEtag(created.version));
  WriteJson(ctx, 201, *OnboardingJson(created));
}

}  // namespace onboard::http::handlers
