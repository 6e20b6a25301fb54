#pragma once

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "request_context.hpp"

/// Pieces shared by the client handlers (load with org scoping, write the
/// representation, store a metadata change with its history and audit event).
namespace onboard::http::handlers::client_common {

/// Finds the client named by the `{client_id}` path parameter. Throws AppError(kNotFound)
/// when it does not exist or a portal caller acts for another organisation.
domain::Client LoadVisible(RequestContext& ctx, AppServices& svc);

/// The organisation a client belongs to (its client_orgno).
std::string OrganisationOf(const domain::Client& client);

/// Checks If-Match against the client's version: 412 when stale; 428 when a portal
/// caller sends none (portal users must never overwrite each other silently).
void CheckIfMatch(RequestContext& ctx, const domain::Client& client);

/// The client's JSON representation: lifecycle members followed by its metadata.
std::string ClientJsonText(const domain::Client& client);

/// Writes the representation with its ETag.
void WriteClient(RequestContext& ctx, int status, const domain::Client& client);

/// Stores `next` (new metadata and/or state) over `current` with a history entry of kind
/// `change` and one audit event `client.<change>`; returns the stored client.
domain::Client SaveChange(RequestContext& ctx, AppServices& svc, const domain::Client& current, domain::Client next,
                          const std::string& change);

}  // namespace onboard::http::handlers::client_common
