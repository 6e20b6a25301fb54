#include <Poco/String.h>

#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/onboardings/{id}/clients {"client_id": "<uuid>"}: links a test client of the
// case's organisation. Repeating a link that exists changes nothing (200, no audit event).
void OnboardingClientsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  const domain::Onboarding current = FindVisibleOnboarding(ctx, svc.onboardings, ctx.Param("id"));
  JsonFields f(*body);
  std::string client_id = f.String("client_id", true, 64).value_or("");
  if (!client_id.empty() && !IsUuid(client_id)) {
    f.AddError("client_id", "invalid_client_id", "client_id must be a UUID");
  }
  f.Finish("the link request is invalid");
  client_id = Poco::toLower(client_id);

  domain::AuditEvent audit =
      ctx.Audit("onboarding.link_client", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("client_id", client_id);
  audit.detail_json = AuditDetail(detail);
  const domain::OnboardingChange result = svc.onboardings.LinkTestClient(
      current.id, client_id, audit.actor, OptionalIfMatch(ctx), audit);
  ctx.response.set("ETag", VersionEtag(result.onboarding.version));
  WriteJson(ctx, 200, *OnboardingJson(result.onboarding));
}

}  // namespace onboard::http::handlers
