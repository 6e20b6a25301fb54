#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/onboardings/{id}/clients {"client_id": "<uuid>"}: links a test client of the
// case's organisation. Repeating a link that exists changes nothing (200, no audit event).
void OnboardingClientsPost(RequestContext& ctx, AppServices& svc) {
  usecases::ClientLink command = ReadClientLink(*ReadBody(ctx, svc));
  command.id = ctx.Param("id");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Onboarding o = svc.use_cases.onboardings.LinkClient(ctx.UseCaseCaller(), command);
  ctx.response.set("ETag", VersionEtag(o.version));
  WriteJson(ctx, 200, *OnboardingJson(o));
}

}  // namespace onboard::http::handlers
