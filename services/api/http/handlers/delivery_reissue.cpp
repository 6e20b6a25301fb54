#include <Poco/JSON/Object.h>

#include "handlers.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// A new secret, zip and password for the same client and recipients; the old delivery is
// retired (pending messages cancelled, package destroyed, superseded_by set) and its
// secret revoked unless it had reached its owner (usecases::ClientSecrets::Reissue).
void DeliveryReissue(RequestContext& ctx, AppServices& svc) {
  const usecases::ReissuedDelivery r = svc.use_cases.secrets.Reissue(
      ctx.UseCaseCaller(), secret_common::ReadReissueRequest(ctx, svc));
  Poco::JSON::Object out;
  out.set("delivery_id", r.delivery_id);
  out.set("secret_id", r.secret_id);
  out.set("supersedes", r.supersedes);
  out.set("channel", std::string(domain::ToString(r.channel)));
  ctx.response.set("Location", "/v1/deliveries/" + r.delivery_id);
  WriteJson(ctx, 202, out);
}

}  // namespace onboard::http::handlers
