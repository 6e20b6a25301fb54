#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void OrganisationsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewOrganisation command = ReadNewOrganisation(*ReadBody(ctx, svc));
  const domain::Organisation created =
      svc.use_cases.organisations.Register(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/organisations/" + created.orgno);
  ctx.response.set("ETag", VersionEtag(created.version));
  WriteJson(ctx, 201, *OrganisationJson(created));
}

}  // namespace onboard::http::handlers
