#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "client_key.hpp"
#include "request_context.hpp"

/// Pieces shared by the certificate and JWK handlers.
namespace onboard::http::handlers::client_keys {

/// The JSON representation of a stored key (no private material exists to leak).
Poco::JSON::Object::Ptr KeyJson(const domain::ClientKey& key);

/// The client change that goes with a new key: the auth method becomes private_key_jwt
/// (the new metadata must still be valid for the client), every secret is revoked, and a
/// production client waiting for the credentials of an approved `certificate` order
/// becomes active. Fills the audit event `action` with `detail` plus what changed.
domain::KeyWrite PlanKeyWrite(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                              const std::string& action, Poco::JSON::Object detail);

/// How many more keys the client may have in client_keys (the limit minus its metadata `jwks`).
std::size_t KeyRoom(const domain::Client& current);

/// Stores `key` with `write`, forgets the cached runtime and answers 201 with the key.
void AddAndRespond(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                   domain::ClientKey key, const domain::KeyWrite& write);

}  // namespace onboard::http::handlers::client_keys
