#pragma once

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "clients.hpp"
#include "request_context.hpp"

/// The client handlers' codecs: the request's pieces as the client use cases
/// (usecases/clients.hpp) take them, and the client's representation.
namespace onboard::http::handlers::client_common {

/// The client named by the `{client_id}` path parameter, as Clients::Get answers it
/// (kNotFound when it does not exist or the caller may not see it).
domain::Client LoadVisible(RequestContext& ctx, AppServices& svc);

/// Clients::CheckVersion with the request's If-Match header.
void CheckIfMatch(RequestContext& ctx, const domain::Client& client,
                  bool required_for_portal = true);

/// The organisation a client belongs to (its client_orgno).
using usecases::OrganisationOf;

/// The request body of POST /v1/clients.
usecases::NewClient ReadNewClient(const Poco::JSON::Object::Ptr& body);

/// A PUT or PATCH of the client in the path with the request's If-Match.
usecases::ClientMetadataChange ReadMetadataChange(const RequestContext& ctx,
                                                  Poco::JSON::Object::Ptr document);

/// A state change of the client in the path with the request's If-Match.
usecases::ClientStateChange ReadStateChange(const RequestContext& ctx);

/// The client's JSON representation: lifecycle members followed by its metadata.
std::string ClientJsonText(const domain::Client& client);

/// Writes the representation with its ETag.
void WriteClient(RequestContext& ctx, int status, const domain::Client& client);

}  // namespace onboard::http::handlers::client_common
