#pragma once

#include <Poco/JSON/Object.h>

#include "app_services.hpp"
#include "onboarding.hpp"
#include "production_order.hpp"
#include "production_orders.hpp"
#include "readiness.hpp"
#include "request_context.hpp"

/// Shared by the production-order handlers.
namespace onboard::http::handlers::orders {

/// The order's JSON representation (metadata, diff and validation result included).
Poco::JSON::Object::Ptr OrderJson(const domain::ProductionOrder& order);

/// OrderJson plus `readiness`: {ready, missing: [codes]} for an open order, else null.
Poco::JSON::Object::Ptr ListedOrderJson(const usecases::ListedOrder& listed);

/// ProductionOrders::Get of the order in `{order_id}`.
domain::ProductionOrder LoadVisible(RequestContext& ctx, AppServices& svc);

/// Writes the order with its ETag.
void WriteOrder(RequestContext& ctx, int status, const domain::ProductionOrder& order);

}  // namespace onboard::http::handlers::orders
