#include "app_services.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "production_order_common.hpp"
#include "production_orders.hpp"
#include "request_context.hpp"

namespace onboard::http::handlers::orders {

// The order in the path and the optional JSON body `{"reason": "..."}` of a decision
// (submit, approve, reject, cancel); the use case checks it.
usecases::OrderDecision ReadDecision(RequestContext& ctx, AppServices& svc) {
  usecases::OrderDecision command;
  command.order_id = ctx.Param("order_id");
  command.body_sent = HasBody(ctx);
  if (!command.body_sent) {
    ctx.body_consumed = true;
    return command;
  }
  const Poco::JSON::Object::Ptr body = ReadBody(ctx, svc);
  JsonFields f(*body);
  command.reason_sent = body->has("reason") && !body->isNull("reason");
  command.reason = f.String("reason", false, 4000).value_or("");
  command.input_errors = f.Problems();
  return command;
}

}  // namespace onboard::http::handlers::orders

namespace onboard::http::handlers {

namespace {

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

}  // namespace

// The owner (portal) or an operator orders production for a verified test client
// (usecases/production_orders.hpp: the proposal and its rules).
void ProductionOrdersPost(RequestContext& ctx, AppServices& svc) {
  usecases::NewProductionOrder command = ReadNewOrder(*ReadBody(ctx, svc));
  command.onboarding_id = ctx.Param("id");
  const domain::ProductionOrder created = svc.use_cases.orders.Create(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/production-orders/" + created.id);
  orders::WriteOrder(ctx, 201, created);
}

void ProductionOrderGet(RequestContext& ctx, AppServices& svc) {
  orders::WriteOrder(ctx, 200, orders::LoadVisible(ctx, svc));
}

void ProductionOrderSubmit(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = orders::ReadDecision(ctx, svc);
  orders::WriteOrder(
      ctx, 200,
      svc.use_cases.orders.Decide(ctx.UseCaseCaller(), command, domain::OrderTransition::kSubmit));
}

// Operator review: approving creates the production client (and, for sms_zip, its
// delivered secret) with the order's approval (usecases/production_orders.hpp).
void ProductionOrderApprove(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = orders::ReadDecision(ctx, svc);
  const usecases::ApprovedOrder approved =
      svc.use_cases.orders.Approve(ctx.UseCaseCaller(), command);
  // The delivery is also listed with the client's secrets (GET /v1/clients/{id}/secrets).
  if (approved.delivery_id) ctx.response.set("X-Onboard-Delivery-Id", *approved.delivery_id);
  orders::WriteOrder(ctx, 200, approved.order);
}

void ProductionOrderReject(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = orders::ReadDecision(ctx, svc);
  orders::WriteOrder(
      ctx, 200,
      svc.use_cases.orders.Decide(ctx.UseCaseCaller(), command, domain::OrderTransition::kReject));
}

void ProductionOrderCancel(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = orders::ReadDecision(ctx, svc);
  orders::WriteOrder(
      ctx, 200,
      svc.use_cases.orders.Decide(ctx.UseCaseCaller(), command, domain::OrderTransition::kCancel));
}

}  // namespace onboard::http::handlers
