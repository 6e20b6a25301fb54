#pragma once

#include <Poco/JSON/Object.h>

#include "app_services.hpp"
#include "onboarding.hpp"
#include "production_order.hpp"
#include "readiness.hpp"
#include "request_context.hpp"

/// Shared by the production-order handlers.
namespace onboard::http::handlers::orders {

/// The order's JSON representation (metadata, diff and validation result included).
Poco::JSON::Object::Ptr OrderJson(const domain::ProductionOrder& order);

/// Finds the order in `{order_id}`; 404 when absent or another organisation's (portal).
domain::ProductionOrder LoadVisible(RequestContext& ctx, AppServices& svc);

/// The production-readiness checklist of a test client, judging `proposed_metadata_json`
/// (the order's proposal; empty: the test client's own metadata) against production rules.
domain::Readiness Evaluate(AppServices& svc, const std::string& test_client_id,
                           domain::DeliveryMethod delivery,
                           const std::string& proposed_metadata_json);

/// Throws AppError(kConflict, "not_ready", with the checklist's failing items and cases
/// as field errors) when the checklist blocks production.
void EnsureReady(AppServices& svc, const std::string& test_client_id,
                 domain::DeliveryMethod delivery, const std::string& proposed_metadata_json);

/// Throws AppError(kValidation) with the production validation errors stored on the order.
void EnsureValidForProduction(const domain::ProductionOrder& order);

/// Writes the order with its ETag.
void WriteOrder(RequestContext& ctx, int status, const domain::ProductionOrder& order);

}  // namespace onboard::http::handlers::orders
