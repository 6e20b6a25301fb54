#include <Poco/JSON/Array.h>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers {

// The operator team's work queue (`?state=submitted`, oldest first, with each order's
// age); a portal sees its own organisation's orders only.
void ProductionOrdersList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::OrderQuery query{.state = ctx.Query("state"),
                                   .onboarding_id = ctx.Query("onboarding_id"),
                                   .page = domain::PageRequest{page.cursor, page.limit}};
  const auto result = svc.use_cases.orders.ListWithReadiness(ctx.UseCaseCaller(), query);
  Poco::JSON::Array items;
  for (const auto& o : result.items) items.add(orders::ListedOrderJson(o));
  Poco::JSON::Object body;
  body.set("items", items);
  if (result.next_cursor.empty())
    body.set("next_cursor", Poco::Dynamic::Var());
  else
    body.set("next_cursor", result.next_cursor);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
