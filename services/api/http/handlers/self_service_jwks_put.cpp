#include <Poco/JSON/Array.h>

#include "client_common.hpp"
#include "client_jwk_set.hpp"
#include "client_keys_common.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "jose.hpp"
#include "json_io.hpp"
#include "provider_auth.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers {

namespace {

// The posted JWK Set: bare public keys under the metadata validator's rules (x5c is not
// taken here: a certificate binds through POST /v1/clients/{id}/certificates, which checks
// its chain and organisation).
std::vector<domain::ClientKey> ReadKeys(RequestContext& ctx, AppServices& svc,
                                        const std::string& client_id) {
  Poco::JSON::Object::Ptr body = ReadJsonObject(
      ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes), "application/jwk-set+json");
  JsonFields f(*body);
  Poco::JSON::Array::Ptr keys = f.Array("keys", true);
  std::vector<domain::Jwk> jwks;
  for (std::size_t i = 0; keys && i < keys->size() && i <= domain::kMaxClientKeys; ++i) {
    Poco::JSON::Object::Ptr k = keys->getObject(static_cast<unsigned>(i));
    if (!k) {
      f.AddError("keys/" + std::to_string(i), "invalid_type", "must be a JWK object");
      continue;
    }
    JsonFields kf(*k, "keys/" + std::to_string(i) + "/");
    domain::Jwk jwk{kf.String("kty", true, 10).value_or(""),
                    kf.String("alg", true, 10).value_or(""),
                    kf.String("use", true, 10).value_or(""),
                    kf.String("kid", false, 200),
                    kf.String("e", true, 64).value_or(""),
                    kf.String("n", true, 4096).value_or(""),
                    std::nullopt};
    if (kf.Has("x5c"))
      kf.AddError("x5c", "not_supported",
                  "bind certificates with POST /v1/clients/{id}/certificates");
    f.AddErrors(kf.Problems());
    jwks.push_back(jwk);
  }
  f.AddErrors(domain::ValidateJwks(jwks, "keys"));
  f.Finish("the JWK Set is invalid");
  std::vector<domain::ClientKey> out;
  for (const auto& jwk : jwks) {
    domain::jose::PublicJwk pub;
    pub.kty = jwk.kty, pub.alg = jwk.alg, pub.use = jwk.use, pub.n = jwk.n, pub.e = jwk.e;
    domain::jose::KeyFromJwk(pub);  // the members make a key
    pub.kid = jwk.kid.value_or(domain::jose::Rfc7638Thumbprint(pub));
    domain::ClientKey key;
    key.id = crypto::NewUuid();
    key.client_id = client_id;
    key.kid = pub.kid;
    key.kind = "jwk";
    key.alg = pub.alg;
    key.jwk_json = domain::jose::JwkJson(pub);
    key.created_by = ctx.caller->token_name;
    out.push_back(std::move(key));
  }
  const auto errors = domain::ValidateJwkSet(out);
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "the JWK Set is invalid", "", errors);
  return out;
}

// The keys of the client's metadata `jwks` are part of the set the caller replaces.
void DropMetadataJwks(const domain::Client& current, domain::KeyWrite& write) {
  domain::Client next = write.next_client.value_or(current);
  if (next.metadata.jwks.empty()) return;
  next.metadata.jwks.clear();
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  if (write.change.empty()) write.change = "update";
  write.next_client = std::move(next);
}

}  // namespace

// POST and PUT /clients/{client_id}/jwks (the provider's self-service shape): the posted
// set replaces the client's JWKs (re-posted keys live a year from now again); answers the
// client's JWK Set.
void SelfServiceJwksPut(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  if (svc.jwk_sets == nullptr)
    throw AppError(ErrorCode::kInternal, "internal error", "no jwk_sets");
  domain::JwkSetChange change;
  change.keys = ReadKeys(ctx, svc, current.client_id);
  change.changed_by = ctx.caller->token_name;
  Poco::JSON::Object detail;
  detail.set("keys", static_cast<int>(change.keys.size()));
  change.write = client_keys::PlanKeyWrite(ctx, svc, current, "client.jwks_replace", detail);
  DropMetadataJwks(current, change.write);
  const domain::JwkSetResult result = svc.jwk_sets->Replace(current.client_id, change);
  svc.provider.Invalidate(current.client_id);
  WriteBody(
      ctx, 200, "application/jwk-set+json",
      domain::JwksJson(result.keys, change.write.next_client ? change.write.next_client->metadata
                                                             : current.metadata));
}

}  // namespace onboard::http::handlers
