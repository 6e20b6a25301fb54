#include "codecs.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

// Opens a case. A portal caller may leave `organisation` out: it is the organisation the
// portal acts for.
void OnboardingsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  domain::Onboarding o;
  o.organisation = f.String("organisation", !ctx.IsPortal(), 64)
                       .value_or(ctx.IsPortal() ? ctx.caller->portal_org : "");
  o.service_name = f.String("service_name", false, domain::kMaxServiceNameChars * 4).value_or("");
  ReadPlanningPatch(f, o.planning);
  ReadContacts(f, o.contacts, true);
  if (!o.organisation.empty() && !domain::IsValidOrgno(o.organisation)) {
    f.AddError("organisation", "invalid_orgno",
               "organisation must be nine digits with a valid mod-11 check digit");
  }
  f.AddErrors(domain::ValidateOnboarding(o));
  f.Finish("the onboarding case is invalid");
  if (ctx.IsPortal() && ctx.caller->portal_org != o.organisation) {
    throw AppError(ErrorCode::kForbidden,
                   "a portal may only open cases for the organisation it acts for");
  }
  o.id = crypto::NewUuid();
  o.state = domain::OnboardingState::kOpen;
  o.created_by = ctx.caller->token_name;

  domain::AuditEvent audit = ctx.Audit("onboarding.create", "onboarding", o.id, o.organisation);
  Poco::JSON::Object detail;
  detail.set("service_name", o.service_name);
  detail.set("planning_complete", domain::IsPlanningComplete(o.planning));
  detail.set("contacts", static_cast<int>(o.contacts.size()));
  audit.detail_json = AuditDetail(detail);
  const domain::Onboarding created = svc.onboardings.Create(o, audit);
  ctx.response.set("Location", "/v1/onboardings/" + created.id);
  ctx.response.set("ETag", VersionEtag(created.version));
  WriteJson(ctx, 201, *OnboardingJson(created));
}

}  // namespace onboard::http::handlers
