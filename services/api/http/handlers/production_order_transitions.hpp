#pragma once

#include "app_services.hpp"
#include "production_orders.hpp"
#include "request_context.hpp"

namespace onboard::http::handlers::orders {

/// The order in the path and the optional JSON body `{"reason": "..."}` of a decision
/// (submit, approve, reject, cancel); the use case checks it.
usecases::OrderDecision ReadDecision(RequestContext& ctx, AppServices& svc);

}  // namespace onboard::http::handlers::orders
