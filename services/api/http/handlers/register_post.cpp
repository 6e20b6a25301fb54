#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7591 dynamic registration of a test client; the bearer token (operator or portal)
// is the initial access token.
void RegisterPost(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc);
  const usecases::RegisteredClient registered =
      svc.use_cases.registration.Register(ctx.UseCaseCaller(), *body);
  Poco::JSON::Object::Ptr out = registration::ClientInformation(registered.client, ctx, svc);
  out->set("client_id_issued_at", registered.issued_at);
  out->set("registration_access_token", registered.registration_token.reveal());
  if (registered.secret) {
    out->set("client_secret", registered.secret->secret.reveal());
    out->set("client_secret_expires_at", registered.secret->record.expires_at_epoch);
  }
  ctx.response.set("Location", out->getValue<std::string>("registration_client_uri"));
  WriteJson(ctx, 201, *out);
}

}  // namespace onboard::http::handlers
