#pragma once

#include "app_services.hpp"
#include "production_order.hpp"
#include "request_context.hpp"

namespace onboard::http::handlers::orders {

/// Applies a submit/reject/cancel transition to the order in the path with one audit
/// event `production_order.<transition>`; `reason` is stored as the decision reason.
domain::ProductionOrder Transition(RequestContext& ctx, AppServices& svc, domain::OrderTransition t,
                                   const std::string& reason);

/// Reads an optional JSON body `{"reason": "..."}` (required when `required`).
std::string ReadReason(RequestContext& ctx, AppServices& svc, bool required);

}  // namespace onboard::http::handlers::orders
