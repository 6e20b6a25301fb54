#include "handlers.hpp"
#include "production_order_common.hpp"
#include "production_order_transitions.hpp"

namespace onboard::http::handlers {

void ProductionOrderCancel(RequestContext& ctx, AppServices& svc) {
  const usecases::OrderDecision command = orders::ReadDecision(ctx, svc);
  orders::WriteOrder(
      ctx, 200,
      svc.use_cases.orders.Decide(ctx.UseCaseCaller(), command, domain::OrderTransition::kCancel));
}

}  // namespace onboard::http::handlers
