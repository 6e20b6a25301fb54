#pragma once

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "client_metadata_json.hpp"
#include "request_context.hpp"

/// Pieces shared by the client handlers (load with org scoping, write the
/// representation, store a metadata change with its history and audit event).
namespace onboard::http::handlers::client_common {

/// Finds the client named by the `{client_id}` path parameter. Throws AppError(kNotFound)
/// when it does not exist or a portal caller acts for another organisation.
domain::Client LoadVisible(RequestContext& ctx, AppServices& svc);

/// For a client an access token creates or changes: a client of another organisation is
/// one it supplies (idporten:dcr.supplier; supplier_orgno becomes the token's
/// organisation, 403 without that scope), a client of its own needs the route's own
/// permission (403 naming the scope). A supplier cannot hand a client to a third party.
void ApplyAccessTokenOwnership(const RequestContext& ctx, domain::ClientMetadata& metadata);

/// The organisation a client belongs to (its client_orgno).
std::string OrganisationOf(const domain::Client& client);

/// Checks If-Match against the client's version: 412 when stale; 428 when a portal
/// caller sends none and `required_for_portal` (portal users must never overwrite each
/// other's metadata silently; a state change overwrites nothing, so it need not send one,
/// but one that is sent is always honoured).
void CheckIfMatch(RequestContext& ctx, const domain::Client& client,
                  bool required_for_portal = true);

/// True when `next` stops using a client secret that `current` used (client_secret_* to
/// private_key_jwt or none): the change must revoke the client's secrets.
bool LeavesSecretAuth(const domain::Client& current, const domain::Client& next);

/// The client's JSON representation: lifecycle members followed by its metadata.
std::string ClientJsonText(const domain::Client& client);

/// Writes the representation with its ETag.
void WriteClient(RequestContext& ctx, int status, const domain::Client& client);

/// Stores `next` (new metadata and/or state) over `current` with a history entry of kind
/// `change` and one audit event `client.<change>`; returns the stored client.
domain::Client SaveChange(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                          domain::Client next, const std::string& change);

/// Parses `document` as the client's new metadata (integration type and organisation
/// fixed), validates it for the client's environment, and stores it as an `update` with
/// SaveChange, writing the result. `errors` already found by the caller are reported
/// together with the parse and validation errors (one 400 with all of them).
void SaveMetadataUpdate(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                        const Poco::JSON::Object& document, const domain::ParseOptions& options,
                        std::vector<FieldError> errors);

}  // namespace onboard::http::handlers::client_common
