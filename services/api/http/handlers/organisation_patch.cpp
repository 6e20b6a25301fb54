#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// RFC 7396 merge patch over {name, contacts}; orgno may be repeated but not changed.
void OrganisationPatch(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc, "application/merge-patch+json");
  usecases::OrganisationChange command = ReadOrganisationChange(*body);
  command.orgno = ctx.Param("orgno");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Organisation updated =
      svc.use_cases.organisations.Change(ctx.UseCaseCaller(), command);
  ctx.response.set("ETag", VersionEtag(updated.version));
  WriteJson(ctx, 200, *OrganisationJson(updated));
}

}  // namespace onboard::http::handlers
