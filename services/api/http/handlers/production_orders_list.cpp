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
  domain::OrderFilter filter;
  if (auto state = ctx.Query("state"); !state.empty()) {
    filter.state = domain::OrderStateFromString(state);
    if (!filter.state) {
      throw AppError(ErrorCode::kValidation, "invalid filter", "",
                     {{"state", "invalid_value",
                       "state must be draft, submitted, approved, rejected or cancelled"}});
    }
  }
  if (auto onboarding = ctx.Query("onboarding_id"); !onboarding.empty())
    filter.onboarding_id = onboarding;
  if (ctx.IsPortal()) filter.organisation = ctx.caller->portal_org;
  if (filter.onboarding_id && filter.onboarding_id->size() != 36) {
    throw AppError(ErrorCode::kValidation, "invalid filter", "",
                   {{"onboarding_id", "invalid", "not an id"}});
  }
  auto result = svc.orders.List(filter, domain::PageRequest{page.cursor, page.limit});
  Poco::JSON::Array items;
  for (const auto& o : result.items) items.add(orders::OrderJson(o));
  Poco::JSON::Object body;
  body.set("items", items);
  if (result.next_cursor.empty())
    body.set("next_cursor", Poco::Dynamic::Var());
  else
    body.set("next_cursor", result.next_cursor);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
