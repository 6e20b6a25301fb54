#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

void OrganisationsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  domain::Organisation org;
  org.orgno = f.String("orgno", true, 64).value_or("");
  org.name = f.String("name", true, 1000).value_or("");
  if (auto contacts = f.Array("contacts", false)) {
    try {
      org.contacts = domain::ContactsFromJson(*contacts);
    } catch (const AppError& e) {
      f.AddErrors(e.field_errors());
    }
  }
  if (!org.orgno.empty() && !domain::IsValidOrgno(org.orgno)) {
    f.AddError("orgno", "invalid_orgno",
               "orgno must be nine digits with a valid mod-11 check digit");
  }
  f.AddErrors(domain::ValidateOrganisation(org));
  f.Finish("the organisation is invalid");
  if (ctx.IsPortal() && ctx.caller->portal_org != org.orgno) {
    throw AppError(ErrorCode::kForbidden,
                   "a portal may only register the organisation it acts for");
  }
  domain::AuditEvent audit = ctx.Audit("organisation.create", "organisation", org.orgno, org.orgno);
  domain::Organisation created;
  try {
    created = svc.organisations.Create(org, audit);
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict) {
      throw AppError(ErrorCode::kConflict, "organisation " + org.orgno + " is already registered",
                     e.internal(), {}, "organisation_exists");
    }
    throw;
  }
  ctx.response.set("Location", "/v1/organisations/" + created.orgno);
  ctx.response.set("ETag", VersionEtag(created.version));
  WriteJson(ctx, 201, *OrganisationJson(created));
}

}  // namespace onboard::http::handlers
