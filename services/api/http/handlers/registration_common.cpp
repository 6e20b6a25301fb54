#include "registration_common.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

#include "api_token.hpp"
#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "error.hpp"

namespace onboard::http::handlers::registration {

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

}  // namespace

bool UsesSecret(domain::AuthMethod method) {
  return method == domain::AuthMethod::kClientSecretBasic ||
         method == domain::AuthMethod::kClientSecretPost;
}

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

domain::ClientMetadata ParseAndValidate(const Poco::JSON::Object& request,
                                        const std::string& default_orgno, AppServices& svc,
                                        std::optional<domain::IntegrationType> fixed_type) {
  Poco::JSON::Object::Ptr doc = FromRegistrationRequest(request, default_orgno);
  domain::ParseOptions options;
  options.fixed_integration_type = fixed_type;
  domain::ClientMetadata metadata = domain::ParseClientMetadata(*doc, options);
  domain::EnsureValidClientMetadata(metadata, domain::Environment::kTest, svc.scopes);
  return metadata;
}

std::string ClientUri(const RequestContext& ctx, AppServices& svc, const std::string& client_id) {
  std::string base = svc.config.http.public_base_url;
  if (base.empty()) {
    const std::string host = ctx.request.getHost();
    base =
        "http://" +
        (host.empty() ? svc.config.http.host + ":" + std::to_string(svc.config.http.port) : host);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/register/" + client_id;
}

Poco::JSON::Object::Ptr ClientInformation(const domain::Client& client, const RequestContext& ctx,
                                          AppServices& svc) {
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
  out->set("registration_client_uri", ClientUri(ctx, svc, client.client_id));
  return out;
}

domain::Client Authenticate(RequestContext& ctx, AppServices& svc) {
  const std::string header = ctx.request.get("Authorization", "");
  if (header.size() <= 7 ||
      (header.compare(0, 7, "Bearer ") != 0 && header.compare(0, 7, "bearer ") != 0)) {
    throw AppError(ErrorCode::kUnauthenticated, "a registration access token is required");
  }
  auto client = svc.clients.FindByRegistrationToken(domain::HashToken(header.substr(7)));
  if (!client || client->client_id != ctx.Param("client_id") ||
      client->state == domain::ClientState::kDeactivated) {
    throw AppError(ErrorCode::kUnauthenticated, "invalid registration access token");
  }
  return *client;
}

domain::AuditEvent RegistrationAudit(const RequestContext& ctx, const std::string& action,
                                     const domain::Client& client) {
  domain::AuditEvent e;
  e.actor.name = "registration_access_token:" + client.client_id;
  e.actor.role = "client";
  e.actor.request_id = ctx.request_id;
  e.actor.source_ip = ctx.source_ip;
  e.organisation = client_common::OrganisationOf(client);
  e.action = action;
  e.target_type = "client";
  e.target_id = client.client_id;
  return e;
}

}  // namespace onboard::http::handlers::registration
