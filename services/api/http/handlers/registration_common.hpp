#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "request_context.hpp"

/// RFC 7591 / RFC 7592 translation between standard registration metadata and the
/// provider's client model, and registration-access-token checks.
namespace onboard::http::handlers::registration {

/// Turns an RFC 7591 request into the provider's metadata document: `scope` (space
/// separated) becomes `scopes`, a `jwks` JWK Set (`{"keys": [...]}`) becomes the
/// provider's key array, `response_types` must be `["code"]` and is dropped,
/// registered metadata the provider does not model (tos_uri, id_token_signed_response_alg,
/// ...) is ignored as RFC 7591 allows, `software_statement` and `jwks_uri` are refused,
/// `integration_type` defaults to idporten and `client_orgno` to `default_orgno`. Unknown
/// members are left in place so that ParseClientMetadata reports them.
/// Throws AppError(kValidation) with field errors.
Poco::JSON::Object::Ptr FromRegistrationRequest(const Poco::JSON::Object& request,
                                                const std::string& default_orgno);

/// Parses and validates a registration request for a test client.
domain::ClientMetadata ParseAndValidate(
    const Poco::JSON::Object& request, const std::string& default_orgno, AppServices& svc,
    std::optional<domain::IntegrationType> fixed_type = std::nullopt);

/// The RFC 7591 client information response members for a stored client (no secret):
/// `scope` as a string, `jwks` as a JWK Set (omitted when the client has no keys).
Poco::JSON::Object::Ptr ClientInformation(const domain::Client& client, const RequestContext& ctx,
                                          AppServices& svc);

/// Absolute registration_client_uri for a client.
std::string ClientUri(const RequestContext& ctx, AppServices& svc, const std::string& client_id);

/// Authenticates the registration access token in the Authorization header for the
/// `{client_id}` in the path. Throws AppError(kUnauthenticated) for a missing or wrong
/// token, another client's token, or a deactivated client.
domain::Client Authenticate(RequestContext& ctx, AppServices& svc);

/// An audit event whose actor is the client's registration access token.
domain::AuditEvent RegistrationAudit(const RequestContext& ctx, const std::string& action,
                                     const domain::Client& client);

/// Whether the auth method needs a client secret.
bool UsesSecret(domain::AuthMethod method);

}  // namespace onboard::http::handlers::registration
