#include "production_order_transitions.hpp"

#include "error.hpp"
#include "json_io.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers::orders {

std::string ReadReason(RequestContext& ctx, AppServices& svc, bool required) {
  const bool has_body = ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0;
  if (!has_body) {
    ctx.body_consumed = true;
    if (required) {
      throw AppError(ErrorCode::kValidation, "a reason is required", "",
                     {{"reason", "required", "say why"}});
    }
    return {};
  }
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  const std::string reason = f.String("reason", required, 4000).value_or("");
  if (required && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    f.AddError("reason", "required", "say why, so the owner can act on it");
  }
  f.Finish("the request is invalid");
  return reason;
}

domain::ProductionOrder Transition(RequestContext& ctx, AppServices& svc, domain::OrderTransition t,
                                   const std::string& reason) {
  domain::ProductionOrder current = LoadVisible(ctx, svc);
  domain::ProductionOrder next = current;
  next.state = domain::ApplyOrderTransition(current.state, t);
  if (t == domain::OrderTransition::kReject || t == domain::OrderTransition::kCancel) {
    next.decided_by = ctx.caller->token_name;
    next.decision_reason = reason;
  }
  if (t == domain::OrderTransition::kSubmit) {
    EnsureValidForProduction(current);
    EnsureReady(svc, current.test_client_id, current.delivery_method,
                current.proposed_metadata_json);
  }
  domain::AuditEvent audit = ctx.Audit("production_order." + std::string(domain::ToString(t)),
                                       "production_order", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("from", std::string(domain::ToString(current.state)));
  detail.set("to", std::string(domain::ToString(next.state)));
  if (!reason.empty()) detail.set("reason", reason);
  std::ostringstream text;
  detail.stringify(text);
  audit.detail_json = text.str();
  return svc.orders.Transition(next, current.version, audit);
}

}  // namespace onboard::http::handlers::orders
