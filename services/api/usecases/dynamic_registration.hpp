#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

#include "caller.hpp"
#include "client.hpp"
#include "client_secret.hpp"
#include "crypto.hpp"
#include "organisation.hpp"
#include "scope_catalogue.hpp"
#include "use_case.hpp"

/// RFC 7591 dynamic client registration (POST /register) and RFC 7592 client
/// configuration (GET/PUT/DELETE /register/{client_id}, authenticated by the client's
/// registration access token). Test clients only.
namespace onboard::usecases {

/// How new client secrets are made (config `secrets`).
struct SecretPolicy {
  std::string pepper;
  int lifetime_days = 360;
};

/// Turns an RFC 7591 request into the provider's metadata document: `scope` (space
/// separated) becomes `scopes`, a `jwks` JWK Set (`{"keys": [...]}`) becomes the
/// provider's key array, `response_types` must be `["code"]` and is dropped, registered
/// metadata the provider does not model (tos_uri, id_token_signed_response_alg, ...) is
/// ignored as RFC 7591 allows, `software_statement` and `jwks_uri` are refused,
/// `integration_type` defaults to idporten and `client_orgno` to `default_orgno`. Unknown
/// members are left in place so that ParseClientMetadata reports them.
/// Throws AppError(kValidation) with field errors.
Poco::JSON::Object::Ptr FromRegistrationRequest(const Poco::JSON::Object& request,
                                                const std::string& default_orgno);

/// The way back for a stored client: its metadata document as the RFC 7591 client
/// information response members (no secret, no registration_client_uri): `scopes` becomes
/// the space-separated `scope`, `response_types` is `["code"]` for an authorization_code
/// client (else empty), the key array becomes a JWK Set `jwks` (none when the client has no
/// keys), and `client_id` is added.
Poco::JSON::Object::Ptr ToRegistrationResponse(const domain::Client& client);

/// A registration: the stored client and what is shown once (the registration access
/// token and, for a secret-based method, the client secret).
struct RegisteredClient {
  domain::Client client;
  int64_t issued_at = 0;  ///< client_id_issued_at (epoch seconds)
  crypto::SecretString registration_token;
  std::optional<domain::IssuedSecret> secret;
};

/// An RFC 7592 request: the client in the path, the bearer token it presented ("" when
/// none) and where the request came from (for the audit event).
struct RegistrationAccess {
  std::string client_id;
  std::string token;
  std::string request_id;
  std::string source_ip;
};

/// Thread-safe as its stores are.
class DynamicRegistration {
 public:
  DynamicRegistration(domain::ClientStore& clients, domain::OrganisationStore& organisations,
                      const domain::ScopeCatalogue& scopes, domain::UnitsOfWork& units,
                      Caches& caches, SecretPolicy secrets)
      : clients_(clients),
        organisations_(organisations),
        scopes_(scopes),
        units_(units),
        caches_(caches),
        secrets_(std::move(secrets)) {}

  /// RFC 7591: the caller's token is the initial access token. A portal registers only
  /// for its own organisation (client_orgno defaults to it); an operator names one; the
  /// organisation must be registered. A secret is issued when the auth method uses one.
  /// Writes `client.create`.
  RegisteredClient Register(const Caller& caller, const Poco::JSON::Object& request);

  /// RFC 7592 read (the secret is never shown again).
  domain::Client Read(const RegistrationAccess& access);

  /// RFC 7592 update: the request replaces the metadata; `client_id` must be repeated, the
  /// organisation and integration type stay. Leaving a secret-based method revokes the
  /// client's secrets.
  domain::Client Update(const RegistrationAccess& access, const Poco::JSON::Object& request);

  /// RFC 7592 delete: the client is deactivated (never deleted, so its history stays whole)
  /// and its registration access token and secrets stop working for good.
  void Delete(const RegistrationAccess& access);

 private:
  // kUnauthenticated for a missing or wrong token, another client's, or a deactivated one.
  domain::Client Authenticate(const RegistrationAccess& access);
  domain::ClientMetadata ParseAndValidate(
      const Poco::JSON::Object& request, const std::string& default_orgno,
      std::optional<domain::IntegrationType> fixed_type = std::nullopt);

  domain::ClientStore& clients_;
  domain::OrganisationStore& organisations_;
  const domain::ScopeCatalogue& scopes_;
  domain::UnitsOfWork& units_;
  Caches& caches_;
  SecretPolicy secrets_;
};

}  // namespace onboard::usecases
