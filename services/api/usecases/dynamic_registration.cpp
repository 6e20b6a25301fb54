#include "dynamic_registration.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <set>
#include <sstream>

#include "api_token.hpp"
#include "audit_details.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "clients.hpp"
#include "error.hpp"

namespace onboard::usecases {

namespace {

// RFC 7591, RFC 7592 and OpenID Connect Dynamic Client Registration members the provider
// does not model: accepted and ignored, as RFC 7591 section 2 allows.
const std::set<std::string> kIgnored = {"tos_uri",
                                        "policy_uri",
                                        "software_id",
                                        "software_version",
                                        "id_token_signed_response_alg",
                                        "id_token_encrypted_response_alg",
                                        "id_token_encrypted_response_enc",
                                        "userinfo_signed_response_alg",
                                        "userinfo_encrypted_response_alg",
                                        "userinfo_encrypted_response_enc",
                                        "request_object_signing_alg",
                                        "request_object_encryption_alg",
                                        "request_object_encryption_enc",
                                        "token_endpoint_auth_signing_alg",
                                        "default_max_age",
                                        "require_auth_time",
                                        "default_acr_values",
                                        "initiate_login_uri",
                                        "request_uris",
                                        "subject_type",
                                        "sector_identifier_uri",
                                        "backchannel_logout_uri",
                                        "backchannel_logout_session_required",
                                        "client_id",
                                        "client_secret",
                                        "client_id_issued_at",
                                        "client_secret_expires_at",
                                        "registration_access_token",
                                        "registration_client_uri"};

// An audit event whose actor is the client's registration access token.
domain::AuditEvent RegistrationAudit(const RegistrationAccess& access, const std::string& action,
                                     const domain::Client& client) {
  domain::AuditEvent e;
  e.actor.name = "registration_access_token:" + client.client_id;
  e.actor.role = "client";
  e.actor.request_id = access.request_id;
  e.actor.source_ip = access.source_ip;
  e.organisation = OrganisationOf(client);
  e.action = action;
  e.target_type = "client";
  e.target_id = client.client_id;
  return e;
}

}  // namespace

Poco::JSON::Object::Ptr FromRegistrationRequest(const Poco::JSON::Object& request,
                                                const std::string& default_orgno) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  std::vector<FieldError> errors;
  for (const auto& [key, value] : request) {
    if (kIgnored.contains(key) || key.find('#') != std::string::npos)
      continue;  // '#': language-tagged names
    if (key == "software_statement") {
      errors.push_back({key, "invalid_software_statement",
                        "software statements are not accepted by this service"});
    } else if (key == "jwks_uri") {
      errors.push_back(
          {key, "not_supported", "jwks_uri is not supported: register the keys in jwks"});
    } else if (key == "scope") {
      if (value.isEmpty()) continue;
      if (!value.isString()) {
        errors.push_back({key, "invalid_type", "scope must be a space-separated string"});
        continue;
      }
      Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array();
      std::istringstream words(value.extract<std::string>());
      for (std::string w; words >> w;) scopes->add(w);
      out->set("scopes", scopes);
    } else if (key == "jwks") {
      // RFC 7591 sends a JWK Set ({"keys": [...]}); the provider's model holds the array.
      if (value.isEmpty()) continue;
      Poco::JSON::Object::Ptr set = request.getObject(key);
      if (set) {
        if (set->size() != 1 || !set->getArray("keys")) {
          errors.push_back(
              {key, "invalid_jwks", "jwks must be a JWK Set: an object with one member, keys"});
          continue;
        }
        out->set(key, set->getArray("keys"));
      } else {
        out->set(key, value);  // the provider's own array shape
      }
    } else if (key == "response_types") {
      Poco::JSON::Array::Ptr types = request.getArray(key);
      bool ok = types != nullptr;
      for (std::size_t i = 0; ok && i < types->size(); ++i)
        ok = types->getElement<std::string>(static_cast<unsigned>(i)) == "code";
      if (!ok)
        errors.push_back(
            {key, "unsupported_response_type", "only the code response type is supported"});
    } else {
      out->set(key, value);
    }
  }
  if (!out->has("integration_type")) out->set("integration_type", "idporten");
  if (!out->has("client_orgno") && !default_orgno.empty()) out->set("client_orgno", default_orgno);
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "", errors);
  return out;
}

Poco::JSON::Object::Ptr ToRegistrationResponse(const domain::Client& client) {
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr meta =
      parser.parse(client.metadata_json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(*meta);
  if (Poco::JSON::Array::Ptr scopes = meta->getArray("scopes")) {
    std::string scope;
    for (std::size_t i = 0; i < scopes->size(); ++i) {
      scope += (i == 0 ? "" : " ") + scopes->getElement<std::string>(static_cast<unsigned>(i));
    }
    out->remove("scopes");
    out->set("scope", scope);
  }
  Poco::JSON::Array::Ptr response_types = new Poco::JSON::Array();
  if (Poco::JSON::Array::Ptr grants = meta->getArray("grant_types")) {
    for (std::size_t i = 0; i < grants->size(); ++i) {
      if (grants->getElement<std::string>(static_cast<unsigned>(i)) == "authorization_code")
        response_types->add("code");
    }
  }
  out->set("response_types", response_types);
  // RFC 7591 jwks is a JWK Set; a client without keys has none.
  out->remove("jwks");
  if (Poco::JSON::Array::Ptr keys = meta->getArray("jwks"); keys && keys->size() > 0) {
    Poco::JSON::Object::Ptr set = new Poco::JSON::Object();
    set->set("keys", keys);
    out->set("jwks", set);
  }
  out->set("client_id", client.client_id);
  return out;
}

RegisteredClient DynamicRegistration::Register(const Caller& caller,
                                               const Poco::JSON::Object& request) {
  const std::string default_orgno = caller.IsPortal() ? caller.organisation : std::string();
  domain::ClientMetadata metadata = ParseAndValidate(request, default_orgno);
  if (caller.IsPortal() && metadata.client_orgno != caller.organisation) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "not_own_organisation", "must be the organisation the token acts for"}});
  }
  if (metadata.client_orgno.empty()) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "required", "client_orgno is required for operator registrations"}});
  }
  if (!organisations_.Find(metadata.client_orgno)) {
    throw AppError(
        ErrorCode::kValidation, "client metadata is invalid", "",
        {{"client_orgno", "unknown_organisation", "the organisation is not registered"}});
  }
  RegisteredClient out;
  out.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  out.registration_token = domain::GenerateTokenSecret();
  ClientDraft draft = DraftClient(domain::Environment::kTest, domain::ClientState::kActive,
                                  "registration_api", caller.who, std::move(metadata));
  const domain::Client& client = draft.client;
  domain::ClientWrite write;
  write.change = "create";
  write.diff_json = std::move(draft.creation_diff);
  write.audit =
      caller.Audit("client.create", "client", client.client_id, client.metadata.client_orgno);
  if (domain::UsesClientSecret(client.metadata.token_endpoint_auth_method)) {
    out.secret =
        domain::NewClientSecret(secrets_.pepper, secrets_.lifetime_days, out.issued_at, caller.who);
    write.new_secret = out.secret->record;
  }
  write.audit.detail_json = audit::Render(audit::ClientCreated{
      .environment = "test",
      .integration_type = std::nullopt,
      .channel = "registration_api",
      .secret_id =
          out.secret ? std::optional<std::string>(out.secret->record.secret_id) : std::nullopt});
  out.client = clients_.Create(client, domain::HashToken(out.registration_token.reveal()), write);
  return out;
}

domain::Client DynamicRegistration::Read(const RegistrationAccess& access) {
  return Authenticate(access);
}

domain::Client DynamicRegistration::Update(const RegistrationAccess& access,
                                           const Poco::JSON::Object& request) {
  domain::Client current = Authenticate(access);
  if (request.optValue<std::string>("client_id", "") != current.client_id) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "",
                   {{"client_id", "mismatch",
                     "client_id must be present and equal to the registered client_id"}});
  }
  domain::ClientMetadata metadata =
      ParseAndValidate(request, current.metadata.client_orgno, current.metadata.integration_type);
  if (metadata.client_orgno != current.metadata.client_orgno) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "",
                   {{"client_orgno", "immutable", "a client cannot move to another organisation"}});
  }
  domain::Client next = current;
  next.metadata = std::move(metadata);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  domain::ClientWrite write;
  write.change = "update";
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  write.audit = RegistrationAudit(access, "client.update", current);
  write.revoke_secrets = LeavesSecretAuth(current, next);
  write.audit.detail_json = audit::Render(audit::RegistrationUpdated{write.revoke_secrets});
  return InClientChange(units_, caches_, current.client_id, [&](domain::UnitOfWork& unit) {
    return clients_.Update(unit, next, current.version, write);
  });
}

void DynamicRegistration::Delete(const RegistrationAccess& access) {
  const domain::Client current = Authenticate(access);
  domain::Client next = current;
  next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kDeactivate);
  domain::AuditEvent audit = RegistrationAudit(access, "client.deactivate", current);
  audit.detail_json = audit::Render(audit::RegistrationDeleted{});
  // RFC 7592 section 2.3: the registration access token and any secret stop working for
  // good; reactivating the client later (an operator's decision) does not revive them.
  const domain::ClientWrite write{.change = "deactivate",
                                  .diff_json = "[]",
                                  .audit = std::move(audit),
                                  .new_secret = std::nullopt,
                                  .revoke_secrets = true,
                                  .retire_registration_token = true};
  InClientChange(units_, caches_, current.client_id, [&](domain::UnitOfWork& unit) {
    clients_.Update(unit, next, current.version, write);
  });
}

domain::Client DynamicRegistration::Authenticate(const RegistrationAccess& access) {
  if (access.token.empty()) {
    throw AppError(ErrorCode::kUnauthenticated, "a registration access token is required");
  }
  auto client = clients_.FindByRegistrationToken(domain::HashToken(access.token));
  if (!client || client->client_id != access.client_id ||
      client->state == domain::ClientState::kDeactivated) {
    throw AppError(ErrorCode::kUnauthenticated, "invalid registration access token");
  }
  return *client;
}

domain::ClientMetadata DynamicRegistration::ParseAndValidate(
    const Poco::JSON::Object& request, const std::string& default_orgno,
    std::optional<domain::IntegrationType> fixed_type) {
  Poco::JSON::Object::Ptr doc = FromRegistrationRequest(request, default_orgno);
  domain::ParseOptions options;
  options.fixed_integration_type = fixed_type;
  domain::ClientMetadata metadata = domain::ParseClientMetadata(*doc, options);
  domain::EnsureValidClientMetadata(metadata, domain::Environment::kTest, scopes_);
  return metadata;
}

}  // namespace onboard::usecases
