// Production orders (usecases::ProductionOrders): the requests read into commands, the
// orders written back. No rule here.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers {

namespace {

// The order in the path and the optional JSON body `{"reason": "..."}` of a decision
// (submit, approve, reject, cancel); the use case checks it.
usecases::OrderDecision ReadDecision(RequestContext& ctx, AppServices& svc) {
  usecases::OrderDecision command;
  command.order_id = ctx.Param("order_id");
  command.body_sent = HasBody(ctx);
  const Poco::JSON::Object::Ptr body = ReadOptionalBody(ctx, svc);
  JsonFields f(*body);
  command.reason_sent = body->has("reason") && !body->isNull("reason");
  command.reason = f.String("reason", false, 4000).value_or("");
  command.input_errors = f.Problems();
  return command;
}

// The `delivery` member: {method, mobile, email} (the rules are the use case's).
void ReadDelivery(JsonFields& f, const Poco::JSON::Object& delivery,
                  usecases::NewProductionOrder& command) {
  command.delivery_sent = true;
  JsonFields d(delivery, "delivery/");
  const std::string method = d.String("method", true, 32).value_or("");
  auto parsed = domain::DeliveryMethodFromString(method);
  if (!method.empty() && !parsed)
    d.AddError("method", "invalid_value", "method must be sms_zip or certificate");
  command.delivery_method = parsed.value_or(domain::DeliveryMethod::kSmsZip);
  command.delivery_mobile = d.String("mobile", false, 32).value_or("");
  command.delivery_email = d.String("email", false, 254).value_or("");
  f.AddErrors(d.Problems());
}

usecases::NewProductionOrder ReadNewOrder(const Poco::JSON::Object& body) {
  usecases::NewProductionOrder command;
  JsonFields f(body);
  command.test_client_id = f.String("test_client_id", true, 64).value_or("");
  command.redirect_uris = f.Array("redirect_uris", true);
  command.post_logout_redirect_uris = f.Array("post_logout_redirect_uris", false);
  command.frontchannel_logout_uri = f.String("frontchannel_logout_uri", false, 2000);
  command.metadata_patch = f.Object("metadata", false);
  Poco::JSON::Object::Ptr delivery = f.Object("delivery", true);
  command.notes = f.String("notes", false, 4000).value_or("");
  command.submit = f.Bool("submit", false).value_or(true);
  if (delivery) ReadDelivery(f, *delivery, command);
  command.input_errors = f.Problems();
  return command;
}

Poco::JSON::Object::Ptr ListedOrderJson(const usecases::ListedOrder& listed) {
  Poco::JSON::Object::Ptr out = orders::OrderJson(listed.order);
  if (!listed.readiness) {
    out->set("readiness", Poco::Dynamic::Var());
    return out;
  }
  Poco::JSON::Object readiness;
  readiness.set("ready", listed.readiness->ready);
  Poco::JSON::Array missing;
  for (const std::string& code : listed.readiness->missing) missing.add(code);
  readiness.set("missing", missing);
  out->set("readiness", readiness);
  return out;
}

// The order with its ETag.
void WriteOrder(RequestContext& ctx, int status, const domain::ProductionOrder& order) {
  WriteVersioned(ctx, status, order, orders::OrderJson);
}

// Submit, reject or cancel: the decision read, made, and the order written back.
void DecideOrder(RequestContext& ctx, AppServices& svc, domain::OrderTransition transition) {
  const usecases::OrderDecision command = ReadDecision(ctx, svc);
  WriteOrder(ctx, 200, svc.use_cases.orders.Decide(ctx.UseCaseCaller(), command, transition));
}

}  // namespace

Poco::JSON::Object::Ptr orders::OrderJson(const domain::ProductionOrder& o) {
  const auto parse = [](const std::string& json) { return Poco::JSON::Parser().parse(json); };
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  out->set("id", o.id);
  out->set("onboarding_id", o.onboarding_id);
  out->set("organisation", o.organisation);
  out->set("test_client_id", o.test_client_id);
  out->set("state", std::string(domain::ToString(o.state)));
  Poco::JSON::Object delivery;
  delivery.set("method", std::string(domain::ToString(o.delivery_method)));
  if (!o.delivery_mobile.empty()) delivery.set("mobile", o.delivery_mobile);
  if (!o.delivery_email.empty()) delivery.set("email", o.delivery_email);
  out->set("delivery", delivery);
  out->set("proposed_metadata", parse(o.proposed_metadata_json));
  out->set("metadata_diff", parse(o.metadata_diff_json));
  Poco::JSON::Object validation;
  Poco::Dynamic::Var errors = parse(o.validation_errors_json);
  validation.set("valid", errors.extract<Poco::JSON::Array::Ptr>()->size() == 0);
  validation.set("errors", errors);
  out->set("production_validation", validation);
  out->set("notes", o.notes);
  Poco::JSON::Object entered;
  entered.set("by", o.entered_by);
  entered.set("role", o.entered_by_role);
  if (!o.entered_by_portal_user.empty()) entered.set("portal_user", o.entered_by_portal_user);
  out->set("entered", entered);
  out->set("submitted_at", OrNull(o.submitted_at));
  out->set("decided_at", OrNull(o.decided_at));
  out->set("decided_by", OrNull(o.decided_by));
  out->set("decision_reason", OrNull(o.decision_reason));
  out->set("production_client_id", OrNull(o.production_client_id));
  out->set("age_seconds", o.age_seconds);
  out->set("version", o.version);
  out->set("created_at", o.created_at);
  out->set("updated_at", o.updated_at);
  return out;
}

// The owner (portal) or an operator orders production for a verified test client
// (usecases/production_orders.hpp: the proposal and its rules).
void ProductionOrdersPost(RequestContext& ctx, AppServices& svc) {
  usecases::NewProductionOrder command = ReadNewOrder(*ReadBody(ctx, svc));
  command.onboarding_id = ctx.Param("id");
  const domain::ProductionOrder created = svc.use_cases.orders.Create(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/production-orders/" + created.id);
  WriteOrder(ctx, 201, created);
}

// The operator team's work queue (`?state=submitted`, oldest first, with each order's
// age); a portal sees its own organisation's orders only.
void ProductionOrdersList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::OrderQuery query{.state = ctx.Query("state"),
                                   .onboarding_id = ctx.Query("onboarding_id"),
                                   .page = domain::PageRequest{page.cursor, page.limit}};
  const auto result = svc.use_cases.orders.ListWithReadiness(ctx.UseCaseCaller(), query);
  WriteJson(ctx, 200, PageJson(result, ListedOrderJson));
}

void ProductionOrderGet(RequestContext& ctx, AppServices& svc) {
  WriteOrder(ctx, 200, svc.use_cases.orders.Get(ctx.UseCaseCaller(), ctx.Param("order_id")));
}

void ProductionOrderSubmit(RequestContext& ctx, AppServices& svc) {
  DecideOrder(ctx, svc, domain::OrderTransition::kSubmit);
}

// Operator review: approving creates the production client (and, for sms_zip, its
// delivered secret) with the order's approval (usecases/production_orders.hpp).
void ProductionOrderApprove(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = ReadDecision(ctx, svc);
  const usecases::ApprovedOrder approved =
      svc.use_cases.orders.Approve(ctx.UseCaseCaller(), command);
  // The delivery is also listed with the client's secrets (GET /v1/clients/{id}/secrets).
  if (approved.delivery_id) ctx.response.set("X-Onboard-Delivery-Id", *approved.delivery_id);
  WriteOrder(ctx, 200, approved.order);
}

void ProductionOrderReject(RequestContext& ctx, AppServices& svc) {
  DecideOrder(ctx, svc, domain::OrderTransition::kReject);
}

void ProductionOrderCancel(RequestContext& ctx, AppServices& svc) {
  DecideOrder(ctx, svc, domain::OrderTransition::kCancel);
}

}  // namespace onboard::http::handlers
