#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_auth.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/jwks: the client's public keys as a JWK Set (RFC 7517
// section 5), bound certificates with x5c, then the keys of its metadata `jwks`.
void ClientJwksGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  WriteBody(ctx, 200, "application/jwk-set+json",
            domain::JwksJson(svc.keys.List(client.client_id), client.metadata));
}

}  // namespace onboard::http::handlers
