#include "handlers.hpp"
#include "production_order_common.hpp"
#include "production_order_transitions.hpp"

namespace onboard::http::handlers {

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

}  // namespace onboard::http::handlers
