#pragma once

#include <Poco/JSON/Object.h>

#include "app_services.hpp"
#include "client_secrets.hpp"
#include "delivery.hpp"
#include "request_context.hpp"

/// The secret and delivery handlers' codecs: the requests as the secret use cases
/// (usecases/client_secrets.hpp) take them, and a delivery's representation.
namespace onboard::http::handlers::secret_common {

/// POST /v1/clients/{client_id}/secret with its optional body: {channel, mobile, email}
/// read for a production client, every member listed for a test client (which takes none).
usecases::SecretRequest ReadSecretRequest(RequestContext& ctx, AppServices& svc);

/// POST /v1/deliveries/{delivery_id}/reissue with its optional {channel, mobile, email}.
usecases::ReissueRequest ReadReissueRequest(RequestContext& ctx, AppServices& svc);

/// The delivery's JSON: its steps and the derived overall state (never the password).
Poco::JSON::Object DeliveryJson(const domain::Delivery& d);

}  // namespace onboard::http::handlers::secret_common
