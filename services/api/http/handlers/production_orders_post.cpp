#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "production_order_common.hpp"

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

}  // namespace onboard::http::handlers
