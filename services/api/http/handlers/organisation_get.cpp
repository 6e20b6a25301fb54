#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void OrganisationGet(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  ctx.RequireOrgVisible(orgno, "no such organisation");
  auto org = svc.organisations.Find(orgno);
  if (!org) throw AppError(ErrorCode::kNotFound, "no such organisation");
  ctx.response.set("ETag", VersionEtag(org->version));
  WriteJson(ctx, 200, *OrganisationJson(*org));
}

}  // namespace onboard::http::handlers
