#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "dynamic_registration.hpp"
#include "request_context.hpp"

/// RFC 7591 / RFC 7592 codecs: the client information response and the registration
/// access token a request presents (the rules are in usecases/dynamic_registration.hpp).
namespace onboard::http::handlers::registration {

/// The RFC 7591 client information response members for a stored client (no secret):
/// `scope` as a string, `jwks` as a JWK Set (omitted when the client has no keys).
Poco::JSON::Object::Ptr ClientInformation(const domain::Client& client, const RequestContext& ctx,
                                          AppServices& svc);

/// Absolute registration_client_uri for a client.
std::string ClientUri(const RequestContext& ctx, AppServices& svc, const std::string& client_id);

/// The `{client_id}` in the path and the bearer token of the Authorization header (empty
/// when there is none).
usecases::RegistrationAccess ReadAccess(const RequestContext& ctx);

}  // namespace onboard::http::handlers::registration
