#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "client_common.hpp"
#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "notify_common.hpp"
#include "notify_usecases.hpp"
#include "secret_common.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"
#include "production_order_common.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// "My integration does not work": from the client_id and environment an owner quotes,
// everything the operator needs in one answer.
void SupportLookupGet(RequestContext& ctx, AppServices& svc) {
  const std::string client_id = ctx.Query("client_id");
  const std::string environment = ctx.Query("environment");
  std::vector<FieldError> errors;
  if (client_id.empty()) errors.push_back({"client_id", "required", "client_id is required"});
  const auto env = domain::EnvironmentFromString(environment);
  if (!env)
    errors.push_back({"environment", "invalid_value", "environment must be test or production"});
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "client_id and environment are required", "", errors);

  auto client = svc.clients.Find(client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no client with this client_id");
  if (client->environment != *env) {
    throw AppError(ErrorCode::kNotFound,
                   "client " + client_id + " exists in " +
                       std::string(domain::ToString(client->environment)) + ", not in " +
                       environment,
                   "", {}, "wrong_environment");
  }
  const std::string orgno = client_common::OrganisationOf(*client);
  Poco::JSON::Object body;
  Poco::JSON::Parser parser;
  body.set("client", parser.parse(client_common::ClientJsonText(*client)));
  if (auto org = svc.organisations.Find(orgno))
    body.set("organisation", OrganisationJson(*org));
  else
    body.set("organisation", Poco::Dynamic::Var());

  std::vector<std::string> targets{client->client_id};
  Poco::JSON::Array orders_json;
  if (auto onboarding_id = svc.support.FindOnboardingIdForClient(client->client_id)) {
    targets.push_back(*onboarding_id);
    if (auto onboarding = svc.onboardings.Find(*onboarding_id))
      body.set("onboarding", OnboardingJson(*onboarding));
    domain::OrderFilter filter;
    filter.onboarding_id = *onboarding_id;
    for (const auto& order :
         svc.orders.List(filter, domain::PageRequest{"", domain::kMaxPageSize}).items) {
      targets.push_back(order.id);
      orders_json.add(orders::OrderJson(order));
    }
  } else {
    body.set("onboarding", Poco::Dynamic::Var());
  }
  body.set("orders", orders_json);
  if (client->environment == domain::Environment::kTest) {
    body.set("readiness", ReadinessJson(client->client_id,
                                        orders::Evaluate(svc, client->client_id,
                                                         domain::DeliveryMethod::kSmsZip, "")));
  }
  // The deliveries of its secrets, newest first: each step's state, never a password.
  Poco::JSON::Array deliveries;
  for (const auto& d : svc.secrets.ListDeliveries(client->client_id))
    deliveries.add(secret_common::DeliveryJson(d));
  body.set("deliveries", deliveries);
  if (svc.notify != nullptr)  // issue #18: who is told about this client
    body.set("notification_contacts",
             notify_common::ContactsJson(svc.notify->contacts.OfClient(
                 client_common::OrganisationOf(*client), client->client_id)));
  Poco::JSON::Array events;
  for (const auto& e : svc.support.RecentAuditEvents(targets, 20)) {
    Poco::JSON::Object j;
    j.set("seq", e.seq);
    j.set("occurred_at_us", e.occurred_at_us);
    j.set("actor", e.event.actor.name);
    j.set("role", e.event.actor.role);
    if (!e.event.actor.portal_user.empty()) j.set("portal_user", e.event.actor.portal_user);
    j.set("action", e.event.action);
    j.set("target_type", e.event.target_type);
    j.set("target_id", e.event.target_id);
    j.set("outcome", e.event.outcome);
    j.set("request_id", e.event.actor.request_id);
    j.set("detail", parser.parse(e.event.detail_json));
    parser.reset();
    events.add(j);
  }
  body.set("recent_audit_events", events);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
