#include <Poco/JSON/Object.h>

#include "handlers.hpp"
#include "issuer.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// A new secret, with rotation (usecases::ClientSecrets::Issue): a test client gets the
// secret once in this response (201); a production client's secret goes out as a delivery
// (encrypted zip + SMS password) and this answer names only the delivery (202).
void ClientSecretPost(RequestContext& ctx, AppServices& svc) {
  const usecases::IssuedClientSecret issued =
      svc.use_cases.secrets.Issue(ctx.UseCaseCaller(), secret_common::ReadSecretRequest(ctx, svc));
  Poco::JSON::Object out;
  if (issued.delivery_id) {
    out.set("delivery_id", *issued.delivery_id);
    out.set("secret_id", issued.record.secret_id);
    out.set("channel", std::string(domain::ToString(issued.channel)));
    ctx.response.set("Location", "/v1/deliveries/" + *issued.delivery_id);
    WriteJson(ctx, 202, out);
    return;
  }
  out.set("secret_id", issued.record.secret_id);
  out.set("client_id", issued.client_id);
  out.set("client_secret", issued.secret->reveal());
  out.set("prefix", issued.record.prefix);
  out.set("expires_at", package::IsoUtc(issued.record.expires_at_epoch));
  out.set("client_secret_expires_at", issued.record.expires_at_epoch);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, out);
}

}  // namespace onboard::http::handlers
