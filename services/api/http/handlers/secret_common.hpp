#pragma once

#include <Poco/JSON/Object.h>

#include "delivery.hpp"

/// A delivery's representation, written by the secret and delivery handlers
/// (handlers/secrets.cpp) and by the support lookup.
namespace onboard::http::handlers::secret_common {

/// The delivery's JSON: its steps and the derived overall state (never the password).
Poco::JSON::Object DeliveryJson(const domain::Delivery& d);

}  // namespace onboard::http::handlers::secret_common
