#include "handlers.hpp"
#include "production_order_common.hpp"
#include "production_order_transitions.hpp"

namespace onboard::http::handlers {

void ProductionOrderReject(RequestContext& ctx, AppServices& svc) {
  const std::string reason = orders::ReadReason(ctx, svc, true);
  orders::WriteOrder(ctx, 200,
                     orders::Transition(ctx, svc, domain::OrderTransition::kReject, reason));
}

}  // namespace onboard::http::handlers
