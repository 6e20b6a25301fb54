#include "codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void OrganisationGet(RequestContext& ctx, AppServices& svc) {
  const domain::Organisation org =
      svc.use_cases.organisations.Get(ctx.UseCaseCaller(), ctx.Param("orgno"));
  ctx.response.set("ETag", VersionEtag(org.version));
  WriteJson(ctx, 200, *OrganisationJson(org));
}

}  // namespace onboard::http::handlers
