#pragma once

#include <Poco/JSON/Object.h>

#include "production_order.hpp"

/// A production order's representation, written by the order handlers (handlers/orders.cpp)
/// and by the support lookup.
namespace onboard::http::handlers::orders {

/// The order's JSON (metadata, diff and validation result included).
Poco::JSON::Object::Ptr OrderJson(const domain::ProductionOrder& order);

}  // namespace onboard::http::handlers::orders
