#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/onboardings/{id}/terms-acceptance {"terms_version": "..."}: records that the
// caller (token name, and the portal user for portal calls) accepted a published version.
// Accepting the version already accepted changes nothing (200, no audit event).
void OnboardingTermsAcceptancePost(RequestContext& ctx, AppServices& svc) {
  usecases::TermsAcceptanceCommand command = ReadTermsAcceptance(*ReadBody(ctx, svc));
  command.id = ctx.Param("id");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Onboarding o = svc.use_cases.onboardings.AcceptTerms(ctx.UseCaseCaller(), command);
  ctx.response.set("ETag", VersionEtag(o.version));
  WriteJson(ctx, 200, *OnboardingJson(o));
}

}  // namespace onboard::http::handlers
