#pragma once

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "clients.hpp"
#include "request_context.hpp"

/// What the other groups' handlers use of the client handlers (handlers/clients.cpp): the
/// client in the path, its If-Match, and the client's representation.
namespace onboard::http::handlers::client_common {

/// The client named by the `{client_id}` path parameter, as Clients::Get answers it
/// (kNotFound when it does not exist or the caller may not see it).
domain::Client LoadVisible(RequestContext& ctx, AppServices& svc);

/// Clients::CheckVersion with the request's If-Match header.
void CheckIfMatch(RequestContext& ctx, const domain::Client& client,
                  bool required_for_portal = true);

/// The organisation a client belongs to (its client_orgno).
using usecases::OrganisationOf;

/// The client's JSON representation: lifecycle members followed by its metadata.
std::string ClientJsonText(const domain::Client& client);

}  // namespace onboard::http::handlers::client_common
