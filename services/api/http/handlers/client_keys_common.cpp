#include "client_keys_common.hpp"

#include <Poco/JSON/Parser.h>

#include <ctime>
#include <sstream>

#include "client_common.hpp"
#include "client_validator.hpp"
#include "error.hpp"
#include "json_io.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers::client_keys {

namespace {
std::string Rfc3339(int64_t epoch) {
  char buf[32];
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

Poco::JSON::Object::Ptr KeyJson(const domain::ClientKey& key) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("kid", key.kid);
  o->set("kind", key.kind);
  o->set("alg", key.alg);
  if (key.kind == "certificate") {
    o->set("x5t#S256", key.thumbprint);
    o->set("subject", key.subject);
    o->set("issuer", key.issuer);
    o->set("serial", key.serial);
    o->set("orgno", key.orgno);
    o->set("not_before", Rfc3339(key.not_before));
  }
  o->set("not_after", Rfc3339(key.not_after));
  o->set("created_at", key.created_at);
  o->set("created_by", key.created_by);
  o->set("last_used_at",
         key.last_used_at.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(key.last_used_at));
  Poco::JSON::Parser parser;
  o->set("jwk", parser.parse(key.jwk_json));
  return o;
}

std::size_t KeyRoom(const domain::Client& current) {
  const std::size_t in_metadata = current.metadata.jwks.size();
  return in_metadata >= domain::kMaxClientKeys ? 0 : domain::kMaxClientKeys - in_metadata;
}

domain::KeyWrite PlanKeyWrite(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                              const std::string& action, Poco::JSON::Object detail) {
  domain::KeyWrite write;
  write.expected_version = current.version;
  write.revoke_secrets = true;  // "any secrets are revoked"
  domain::Client next = current;
  const bool method_changes =
      next.metadata.token_endpoint_auth_method != domain::AuthMethod::kPrivateKeyJwt;
  if (method_changes) {
    next.metadata.token_endpoint_auth_method = domain::AuthMethod::kPrivateKeyJwt;
    auto errors = domain::ValidateClientMetadata(next.metadata, current.environment, svc.scopes);
    if (!errors.empty()) {
      throw AppError(ErrorCode::kConflict,
                     "this client cannot use private_key_jwt: " + errors.front().path + " " +
                         errors.front().message,
                     "", errors, "auth_method_not_allowed");
    }
    next.metadata_json = domain::MetadataToJsonText(next.metadata);
  }
  const bool activates = current.environment == domain::Environment::kProduction &&
                         current.state == domain::ClientState::kAwaitingCredentials &&
                         svc.keys.AwaitsCertificate(current.client_id);
  if (activates)
    next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kActivate);
  if (method_changes || activates) {
    write.change = activates ? "activate" : "update";
    write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
    write.next_client = next;
  }
  write.audit =
      ctx.Audit(action, "client", current.client_id, client_common::OrganisationOf(current));
  detail.set("environment", std::string(domain::ToString(current.environment)));
  detail.set("auth_method_changed", method_changes);
  detail.set("activated", activates);
  detail.set("secrets_revoked", true);
  std::ostringstream text;
  detail.stringify(text);
  write.audit.detail_json = text.str();
  return write;
}

void AddAndRespond(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                   domain::ClientKey key, const domain::KeyWrite& write) {
  const domain::ClientKey stored = svc.keys.Add(key, KeyRoom(current), write);
  svc.provider.Invalidate(current.client_id);
  WriteJson(ctx, 201, *KeyJson(stored));
}

}  // namespace onboard::http::handlers::client_keys
