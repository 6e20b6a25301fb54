#include "production_order_transitions.hpp"

#include "json_io.hpp"

namespace onboard::http::handlers::orders {

usecases::OrderDecision ReadDecision(RequestContext& ctx, AppServices& svc) {
  usecases::OrderDecision command;
  command.order_id = ctx.Param("order_id");
  command.body_sent = ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0;
  if (!command.body_sent) {
    ctx.body_consumed = true;
    return command;
  }
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  command.reason_sent = body->has("reason") && !body->isNull("reason");
  command.reason = f.String("reason", false, 4000).value_or("");
  command.input_errors = f.Problems();
  return command;
}

}  // namespace onboard::http::handlers::orders
