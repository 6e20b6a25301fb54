#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// RFC 7396 merge patch over {service_name, state, planning, contacts}; id and
// organisation may be repeated but not changed. State moves only open <-> withdrawn here.
void OnboardingPatch(RequestContext& ctx, AppServices& svc) {
  usecases::CaseChange command =
      ReadCaseChange(*ReadBody(ctx, svc, "application/merge-patch+json"));
  command.id = ctx.Param("id");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Onboarding o = svc.use_cases.onboardings.Change(ctx.UseCaseCaller(), command);
  ctx.response.set("ETag", VersionEtag(o.version));
  WriteJson(ctx, 200, *OnboardingJson(o));
}

}  // namespace onboard::http::handlers
