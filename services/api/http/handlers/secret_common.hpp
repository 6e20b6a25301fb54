#pragma once

#include <optional>
#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "deliveries.hpp"
#include "delivery.hpp"
#include "request_context.hpp"

/// Pieces shared by the secret and delivery handlers and by production-order approval,
/// so every issuance of a delivered secret takes one path.
namespace onboard::http::handlers::secret_common {

/// Where a delivered secret goes (usecases/deliveries.hpp).
using Destination = usecases::Destination;

/// Validates `d` (mobile against delivery.mobile_prefixes, e-mail plausible and required
/// for the e-mail channel) and prepares the issuance of a new, delivered secret for
/// `client` (metadata parsed). Throws AppError(kValidation) naming the bad fields.
domain::SecretIssuance PrepareDelivery(RequestContext& ctx, AppServices& svc,
                                       const domain::Client& client, const Destination& d,
                                       const std::string& supersedes_delivery_id = "");

/// Reads {channel, mobile, email} from an optional JSON body.
Destination ReadDestination(RequestContext& ctx, AppServices& svc);

/// A self-service caller's destination: always the client's production order's contacts.
/// The body must be empty or `{}`; a named channel, mobile or e-mail is a 400
/// (`destination_fixed`), never quietly ignored; a client without a production order is a
/// 409 (`no_order_contact`).
Destination ReadOrderDestination(RequestContext& ctx, AppServices& svc,
                                 const domain::Client& client);

/// True when the client authenticates with a client secret.
bool UsesClientSecret(const domain::Client& client);

/// The delivery's JSON: its steps and the derived overall state (never the password).
Poco::JSON::Object DeliveryJson(const domain::Delivery& d);

/// Loads the delivery named by `{delivery_id}`; 404 when absent or another
/// organisation's (for portal callers).
domain::Delivery LoadVisibleDelivery(RequestContext& ctx, AppServices& svc);

}  // namespace onboard::http::handlers::secret_common
