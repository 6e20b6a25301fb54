#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "client_common.hpp"
#include "client_keys_common.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "jose.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// POST /v1/clients/{client_id}/jwks: registers one bare public JWK (RFC 7517) under the
// DOMAIN.md rules (the metadata validator's), without the organisation check a
// certificate gets. A key without kid gets its RFC 7638 thumbprint as kid.
void ClientJwksPost(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  Poco::JSON::Object::Ptr body = ReadJsonObject(
      ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes), "application/jwk+json");
  JsonFields f(*body);
  domain::Jwk jwk;
  jwk.kty = f.String("kty", true, 10).value_or("");
  jwk.alg = f.String("alg", true, 10).value_or("");
  jwk.use = f.String("use", true, 10).value_or("");
  jwk.kid = f.String("kid", false, 200);
  jwk.n = f.String("n", true, 4096).value_or("");
  jwk.e = f.String("e", true, 64).value_or("");
  if (auto x5c = f.Array("x5c", false)) {
    std::vector<std::string> chain;
    for (std::size_t i = 0; i < x5c->size(); ++i) {
      const auto v = x5c->get(static_cast<unsigned>(i));
      if (v.isString())
        chain.push_back(v.extract<std::string>());
      else
        f.AddError("x5c/" + std::to_string(i), "invalid_type", "must be a string");
    }
    jwk.x5c = chain;
  }
  // The validator addresses item 0 of a list ("k/0/n"); the body is the item itself.
  for (auto e : domain::ValidateJwks({jwk}, "k")) {
    e.path = e.path.size() > 4 ? e.path.substr(4) : std::string();
    f.AddErrors({e});
  }
  f.Finish("the JWK is invalid");

  domain::jose::PublicJwk pub;
  pub.kty = jwk.kty;
  pub.alg = jwk.alg;
  pub.use = jwk.use;
  pub.n = jwk.n;
  pub.e = jwk.e;
  if (jwk.x5c) pub.x5c = *jwk.x5c;
  domain::jose::KeyFromJwk(pub);  // the members make a key
  pub.kid = jwk.kid.value_or(domain::jose::Rfc7638Thumbprint(pub));
  for (const auto& m : current.metadata.jwks) {
    if (m.kid && *m.kid == pub.kid) {
      throw AppError(ErrorCode::kConflict,
                     "the client's metadata has a key with kid " + pub.kid + " already", "", {},
                     "kid_already_registered");
    }
  }

  domain::ClientKey key;
  key.id = crypto::NewUuid();
  key.client_id = current.client_id;
  key.kid = pub.kid;
  key.kind = "jwk";
  key.alg = pub.alg;
  key.jwk_json = domain::jose::JwkJson(pub);
  key.created_by = ctx.caller->token_name;  // not_after: one year from now (insert_client_key)

  Poco::JSON::Object detail;
  detail.set("kid", key.kid);
  detail.set("alg", key.alg);
  client_keys::AddAndRespond(
      ctx, svc, current, std::move(key),
      client_keys::PlanKeyWrite(ctx, svc, current, "client.jwk_register", detail));
}

}  // namespace onboard::http::handlers
