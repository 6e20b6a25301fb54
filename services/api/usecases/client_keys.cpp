#include "client_keys.hpp"

#include <ctime>

#include "client_validator.hpp"
#include "crypto.hpp"
#include "jose.hpp"
#include "merge_patch.hpp"

namespace onboard::usecases {

namespace {

constexpr std::size_t kMaxUploadedCertificates = 10;  // the leaf and its chain

// How many more keys the client may have in client_keys (the limit minus its metadata jwks).
std::size_t KeyRoomOf(const domain::Client& current) {
  const std::size_t in_metadata = current.metadata.jwks.size();
  return in_metadata >= domain::kMaxClientKeys ? 0 : domain::kMaxClientKeys - in_metadata;
}

domain::jose::PublicJwk PublicKeyOf(const domain::Jwk& jwk) {
  domain::jose::PublicJwk pub;
  pub.kty = jwk.kty;
  pub.alg = jwk.alg;
  pub.use = jwk.use;
  pub.n = jwk.n;
  pub.e = jwk.e;
  if (jwk.x5c) pub.x5c = *jwk.x5c;
  domain::jose::KeyFromJwk(pub);  // the members make a key
  pub.kid = jwk.kid.value_or(domain::jose::Rfc7638Thumbprint(pub));
  return pub;
}

domain::ClientKey NewJwkKey(const std::string& client_id, const domain::jose::PublicJwk& pub,
                            const std::string& created_by) {
  domain::ClientKey key;
  key.id = crypto::NewUuid();
  key.client_id = client_id;
  key.kid = pub.kid;
  key.kind = "jwk";
  key.alg = pub.alg;
  key.jwk_json = domain::jose::JwkJson(pub);
  key.created_by = created_by;  // not_after: one year from now (insert_client_key)
  return key;
}

domain::ClientKey NewCertificateKey(const std::string& client_id,
                                    const domain::CheckedCertificate& cert,
                                    const std::string& created_by) {
  domain::ClientKey key;
  key.id = crypto::NewUuid();
  key.client_id = client_id;
  key.kid = cert.thumbprint;
  key.kind = "certificate";
  key.alg = cert.jwk.alg;
  key.jwk_json = domain::jose::JwkJson(cert.jwk);
  key.certificate = crypto::Base64Encode(cert.der);
  key.thumbprint = cert.thumbprint;
  key.subject = cert.subject;
  key.issuer = cert.issuer;
  key.serial = cert.serial;
  key.orgno = cert.orgno;
  key.not_before = cert.not_before;
  key.not_after = cert.not_after;
  key.created_by = created_by;
  return key;
}

// The keys of the client's metadata `jwks` are part of the set a replacement replaces.
void DropMetadataJwks(const domain::Client& current, domain::KeyWrite& write) {
  domain::Client next = write.next_client.value_or(current);
  if (next.metadata.jwks.empty()) return;
  next.metadata.jwks.clear();
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  if (write.change.empty()) write.change = "update";
  write.next_client = std::move(next);
}

// The rules of a posted set before its keys are made: bare keys only (the HTTP parser
// refuses a key's x5c already; a chain must be checked as BindCertificate checks it, so no
// other way in may store one unchecked), then the validator's.
std::vector<FieldError> JwkSetRuleErrors(const std::vector<domain::Jwk>& keys) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].x5c) {
      errors.push_back({"keys/" + std::to_string(i) + "/x5c", "not_supported",
                        "bind certificates with POST /v1/clients/{id}/certificates"});
    }
  }
  for (auto& e : domain::ValidateJwks(keys, "keys")) errors.push_back(std::move(e));
  return errors;
}

// The rules' errors followed by the members nobody reads, the order the parser listed
// them in before the rules moved here.
std::vector<FieldError> ThenUnexpected(std::vector<FieldError> rules,
                                       const std::vector<FieldError>& unexpected) {
  rules.insert(rules.end(), unexpected.begin(), unexpected.end());
  return rules;
}

}  // namespace

ClientKeys::KeyPlan ClientKeys::PlanKeyWrite(const Caller& caller, const domain::Client& current,
                                             const std::string& action) const {
  KeyPlan plan;
  domain::KeyWrite& write = plan.write;
  write.expected_version = current.version;
  write.revoke_secrets = true;  // "any secrets are revoked"
  domain::Client next = current;
  const bool method_changes =
      next.metadata.token_endpoint_auth_method != domain::AuthMethod::kPrivateKeyJwt;
  if (method_changes) {
    next.metadata.token_endpoint_auth_method = domain::AuthMethod::kPrivateKeyJwt;
    auto errors = domain::ValidateClientMetadata(next.metadata, current.environment, scopes_);
    if (!errors.empty()) {
      throw AppError(ErrorCode::kConflict,
                     "this client cannot use private_key_jwt: " + errors.front().path + " " +
                         errors.front().message,
                     "", errors, "auth_method_not_allowed");
    }
    next.metadata_json = domain::MetadataToJsonText(next.metadata);
  }
  // A production client waiting for the credentials of an approved `certificate` order.
  const bool activates = current.environment == domain::Environment::kProduction &&
                         current.state == domain::ClientState::kAwaitingCredentials &&
                         keys_.AwaitsCertificate(current.client_id);
  if (activates)
    next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kActivate);
  if (method_changes || activates) {
    write.change = activates ? "activate" : "update";
    write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
    write.next_client = next;
  }
  write.audit = caller.Audit(action, "client", current.client_id, OrganisationOf(current));
  plan.auth_method_changed = method_changes;
  plan.activated = activates;
  return plan;
}

domain::ClientKey ClientKeys::AddKey(const domain::Client& current, domain::ClientKey key,
                                     KeyPlan plan, audit::KeyAdded detail) {
  detail.environment = std::string(domain::ToString(current.environment));
  detail.auth_method_changed = plan.auth_method_changed;
  detail.activated = plan.activated;
  plan.write.audit.detail_json = audit::Render(detail);
  return InClientChange(units_, caches_, current.client_id, [&](domain::UnitOfWork& unit) {
    return keys_.Add(unit, key, KeyRoomOf(current), plan.write);
  });
}

domain::ClientKey ClientKeys::BindCertificate(const Caller& caller, CertificateUpload command,
                                              const BodyReader<CertificateUpload>& read_body) {
  const domain::Client current = clients_.Get(caller, command.client_id);
  Clients::CheckVersion(caller, command.if_match, current, /*required_for_portal=*/false);
  ReadBodyInto(read_body, command);
  if (command.chain.size() > kMaxUploadedCertificates) {
    throw AppError(ErrorCode::kValidation, "at most 10 certificates (the leaf and its chain)", "",
                   {{"chain", "too_many_items", "at most 10 certificates"}},
                   "certificate_malformed");
  }
  const bool production = current.environment == domain::Environment::kProduction;
  const domain::CheckedCertificate cert = domain::CheckCertificate(
      command.chain, production ? trust_.production : trust_.test, OrganisationOf(current),
      trust_.policy, static_cast<int64_t>(std::time(nullptr)),
      std::string(domain::ToString(current.environment)));
  domain::ClientKey key = NewCertificateKey(current.client_id, cert, caller.who);
  audit::KeyAdded detail;
  detail.kid = key.kid;
  detail.subject = key.subject;
  detail.issuer = key.issuer;
  detail.serial = key.serial;
  detail.not_after = key.not_after;
  detail.certificate = true;
  return AddKey(current, std::move(key), PlanKeyWrite(caller, current, "client.certificate_bind"),
                std::move(detail));
}

domain::ClientKey ClientKeys::RegisterJwk(const Caller& caller, NewJwk command,
                                          const BodyReader<NewJwk>& read_body) {
  const domain::Client current = clients_.Get(caller, command.client_id);
  Clients::CheckVersion(caller, command.if_match, current, /*required_for_portal=*/false);
  ReadBodyInto(read_body, command);
  // The validator addresses item 0 of a list ("k/0/n"); the body is the item itself.
  std::vector<FieldError> rules;
  for (auto e : domain::ValidateJwks({command.jwk}, "k")) {
    e.path = e.path.size() > 4 ? e.path.substr(4) : std::string();
    rules.push_back(std::move(e));
  }
  ThrowIfInvalid(command.input_errors, ThenUnexpected(std::move(rules), command.unexpected_fields),
                 "the JWK is invalid");
  const domain::jose::PublicJwk pub = PublicKeyOf(command.jwk);
  for (const auto& m : current.metadata.jwks) {
    if (m.kid && *m.kid == pub.kid) {
      throw AppError(ErrorCode::kConflict,
                     "the client's metadata has a key with kid " + pub.kid + " already", "", {},
                     "kid_already_registered");
    }
  }
  domain::ClientKey key = NewJwkKey(current.client_id, pub, caller.who);
  audit::KeyAdded detail;
  detail.kid = key.kid;
  detail.alg = key.alg;
  return AddKey(current, std::move(key), PlanKeyWrite(caller, current, "client.jwk_register"),
                std::move(detail));
}

void ClientKeys::RemoveKey(const Caller& caller, const std::string& client_id,
                           const std::string& kid) {
  const domain::Client current = clients_.Get(caller, client_id);
  const domain::ClientMetadata& metadata = current.metadata;
  const bool keep_one = current.state == domain::ClientState::kActive &&
                        metadata.token_endpoint_auth_method == domain::AuthMethod::kPrivateKeyJwt &&
                        metadata.jwks.empty();
  domain::AuditEvent event =
      caller.Audit("client.key_remove", "client", current.client_id, OrganisationOf(current));
  event.detail_json = audit::Render(audit::KeyRemoved{
      .kid = kid, .environment = std::string(domain::ToString(current.environment))});
  InClientChange(units_, caches_, current.client_id, [&](domain::UnitOfWork& unit) {
    keys_.Remove(unit, current.client_id, kid, caller.who, keep_one, event);
  });
}

std::vector<domain::ClientKey> ClientKeys::Certificates(const Caller& caller,
                                                        const std::string& client_id) {
  const domain::Client client = clients_.Get(caller, client_id);
  std::vector<domain::ClientKey> out;
  for (auto& key : keys_.List(client.client_id)) {
    if (key.kind == "certificate") out.push_back(std::move(key));
  }
  return out;
}

ClientJwkSet ClientKeys::JwkSet(const Caller& caller, const std::string& client_id) {
  const domain::Client client = clients_.Get(caller, client_id);
  return {.keys = keys_.List(client.client_id), .metadata = client.metadata};
}

ClientJwkSet ClientKeys::ReplaceJwkSet(const Caller& caller, JwkSetReplacement command,
                                       const BodyReader<JwkSetReplacement>& read_body) {
  const domain::Client current = clients_.Get(caller, command.client_id);
  ReadBodyInto(read_body, command);
  ThrowIfInvalid(command.input_errors,
                 ThenUnexpected(JwkSetRuleErrors(command.keys), command.unexpected_fields),
                 "the JWK Set is invalid");
  domain::JwkSetChange change;
  for (const auto& jwk : command.keys)
    change.keys.push_back(NewJwkKey(current.client_id, PublicKeyOf(jwk), caller.who));
  const auto errors = domain::ValidateJwkSet(change.keys);
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "the JWK Set is invalid", "", errors);
  change.changed_by = caller.who;
  const KeyPlan plan = PlanKeyWrite(caller, current, "client.jwks_replace");
  change.write = plan.write;
  change.write.audit.detail_json = audit::Render(
      audit::KeysReplaced{.keys = static_cast<int>(change.keys.size()),
                          .environment = std::string(domain::ToString(current.environment)),
                          .auth_method_changed = plan.auth_method_changed,
                          .activated = plan.activated});
  DropMetadataJwks(current, change.write);
  domain::JwkSetResult result = InClientChange(
      units_, caches_, current.client_id,
      [&](domain::UnitOfWork& unit) { return jwk_sets_.Replace(unit, current.client_id, change); });
  return {
      .keys = std::move(result.keys),
      .metadata = change.write.next_client ? change.write.next_client->metadata : current.metadata};
}

}  // namespace onboard::usecases
