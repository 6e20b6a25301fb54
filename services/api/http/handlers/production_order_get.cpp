#include "handlers.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers {

void ProductionOrderGet(RequestContext& ctx, AppServices& svc) {
  orders::WriteOrder(ctx, 200, orders::LoadVisible(ctx, svc));
}

}  // namespace onboard::http::handlers
