#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "client_common.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "notify_common.hpp"
#include "notify_usecases.hpp"
#include "onboarding_codecs.hpp"
#include "production_order_common.hpp"
#include "secret_common.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

namespace {

// One recent event as the support answer shows it.
Poco::JSON::Object::Ptr SupportEventJson(const domain::SealedAuditEvent& e) {
  Poco::JSON::Object::Ptr j =
      JsonObject({{"seq", e.seq},
                  {"occurred_at_us", e.occurred_at_us},
                  {"actor", e.event.actor.name},
                  {"role", e.event.actor.role},
                  {"action", e.event.action},
                  {"target_type", e.event.target_type},
                  {"target_id", e.event.target_id},
                  {"outcome", e.event.outcome},
                  {"request_id", e.event.actor.request_id},
                  {"detail", Poco::JSON::Parser().parse(e.event.detail_json)}});
  if (!e.event.actor.portal_user.empty()) j->set("portal_user", e.event.actor.portal_user);
  return j;
}

}  // namespace

// "My integration does not work": from the client_id and environment an owner quotes,
// everything the operator needs in one answer.
void SupportLookupGet(RequestContext& ctx, AppServices& svc) {
  const usecases::SupportAnswer a =
      svc.use_cases.support.Lookup(ctx.Query("client_id"), ctx.Query("environment"));
  Poco::JSON::Object body;
  body.set("client", Poco::JSON::Parser().parse(client_common::ClientJsonText(a.client)));
  body.set("organisation", a.organisation ? Poco::Dynamic::Var(OrganisationJson(*a.organisation))
                                          : Poco::Dynamic::Var());
  // A case that could not be read leaves the member out; no case at all is null.
  if (!a.onboarding_id) body.set("onboarding", Poco::Dynamic::Var());
  if (a.onboarding) body.set("onboarding", OnboardingJson(*a.onboarding));
  body.set("orders", JsonArray(a.orders, orders::OrderJson));
  if (a.readiness) body.set("readiness", ReadinessJson(a.client.client_id, *a.readiness));
  body.set("deliveries", JsonArray(a.deliveries, secret_common::DeliveryJson));
  if (svc.notify != nullptr)  // issue #18: who is told about this client
    body.set("notification_contacts",
             notify_common::ContactsJson(svc.notify->contacts.OfClient(
                 client_common::OrganisationOf(a.client), a.client.client_id)));
  body.set("recent_audit_events", JsonArray(a.recent_events, SupportEventJson));
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
