#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/onboardings/{id}/terms-acceptance {"terms_version": "..."}: records that the
// caller (token name, and the portal user for portal calls) accepted a published version.
// Accepting the version already accepted changes nothing (200, no audit event).
void OnboardingTermsAcceptancePost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  const domain::Onboarding current = FindVisibleOnboarding(ctx, svc.onboardings, ctx.Param("id"));
  JsonFields f(*body);
  const std::string version =
      f.String("terms_version", true, domain::kMaxTermsVersionChars).value_or("");
  if (!version.empty() && !domain::IsValidTermsVersion(version)) {
    f.AddError("terms_version", "unknown_terms_version",
               "no terms with this version are published");
  }
  f.Finish("the terms acceptance is invalid");

  domain::AuditEvent audit =
      ctx.Audit("onboarding.accept_terms", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("terms_version", version);
  audit.detail_json = AuditDetail(detail);
  const domain::OnboardingChange result =
      svc.onboardings.AcceptTerms(current.id, version, audit.actor, OptionalIfMatch(ctx), audit);
  ctx.response.set("ETag", VersionEtag(result.onboarding.version));
  WriteJson(ctx, 200, *OnboardingJson(result.onboarding));
}

}  // namespace onboard::http::handlers
