#pragma once

#include <functional>

#include "app_services.hpp"
#include "client.hpp"
#include "request_context.hpp"

/// The provider's self-service API shape (`/clients`, issue #17): the pieces its handlers
/// share. The routes that mean what a /v1 route means use that route's handler; the
/// onbehalfof sub-resource edits the client's metadata `onbehalfof` records (so the
/// verification rules and the client's history see them).
namespace onboard::http::handlers::self_service {

/// An onbehalfof record's JSON.
Poco::JSON::Object::Ptr OnbehalfofJson(const domain::OnBehalfOf& record);

/// The record `value` of the client's metadata; AppError(kNotFound) when it has none.
domain::OnBehalfOf FindOnbehalfof(const domain::Client& client, const std::string& value);

/// Reads a record from the request body; `value` is the onbehalfof of the path, or empty
/// when the body names it.
domain::OnBehalfOf ReadOnbehalfof(RequestContext& ctx, AppServices& svc, const std::string& value);

/// Applies `edit` to the client's records, validates the metadata (errors of the edited
/// record by member name) and stores it as a client `update` (history, audit, cache).
domain::Client SaveOnbehalfof(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                              const std::function<void(std::vector<domain::OnBehalfOf>&)>& edit);

}  // namespace onboard::http::handlers::self_service
