#include <Poco/JSON/Object.h>

#include "error.hpp"
#include "handlers.hpp"
#include "provider_service.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// A new secret, zip and password for the same client and recipients; the old delivery is
// retired (pending messages cancelled, package destroyed, superseded_by set) and its
// secret revoked unless it had reached its owner.
void DeliveryReissue(RequestContext& ctx, AppServices& svc) {
  const domain::Delivery old = secret_common::LoadVisibleDelivery(ctx, svc);
  secret_common::Destination requested = secret_common::ReadDestination(ctx, svc);
  if (!old.superseded_by.empty()) {
    throw AppError(ErrorCode::kConflict,
                   "the delivery was already reissued as " + old.superseded_by, "", {},
                   "already_reissued");
  }
  auto client = svc.clients.Find(old.client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no such delivery");
  if (!secret_common::UsesClientSecret(*client)) {
    throw AppError(ErrorCode::kConflict, "the client no longer authenticates with a client secret",
                   "", {}, "no_secret_auth_method");
  }
  secret_common::Destination d = requested;
  if (!d.channel) d.channel = domain::DeliveryChannelFromString(old.channel);
  if (d.mobile.empty()) d.mobile = old.mobile;
  if (d.email.empty() && d.channel == domain::DeliveryChannel::kEmail) d.email = old.email;
  d.order_id = old.order_id;
  const domain::SecretIssuance issuance =
      secret_common::PrepareDelivery(ctx, svc, *client, d, old.id);
  svc.secrets.Issue(issuance);
  svc.provider.Invalidate(client->client_id);
  Poco::JSON::Object out;
  out.set("delivery_id", issuance.delivery->id);
  out.set("secret_id", issuance.secret.secret_id);
  out.set("supersedes", old.id);
  out.set("channel", std::string(domain::ToString(issuance.delivery->channel)));
  ctx.response.set("Location", "/v1/deliveries/" + issuance.delivery->id);
  WriteJson(ctx, 202, out);
}

}  // namespace onboard::http::handlers
