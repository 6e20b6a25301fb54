#pragma once

#include <string>
#include <vector>

#include "app_services.hpp"
#include "path_router.hpp"
#include "request_context.hpp"

namespace onboard::http {

using HandlerFn = void (*)(RequestContext&, AppServices&);

/// Roles allowed to call a route (bit mask of domain::RoleBit); kPublic needs no token.
inline constexpr unsigned kPublic = 0;
inline constexpr unsigned kOperatorOnly = 1u << 0;
inline constexpr unsigned kAnyRole = 0xF;

/// How errors on a route are rendered: RFC 9457 problem+json, or the RFC 6749 / RFC 7591
/// `{error, error_description}` shape for OAuth-facing endpoints.
enum class ErrorStyle { kProblem, kOAuthRegistration };

struct Route {
  std::string method;
  std::string path;  ///< template with {name} segments, e.g. /v1/organisations/{orgno}
  unsigned roles;    ///< kPublic or a mask of domain::RoleBit
  HandlerFn handler;
  ErrorStyle errors = ErrorStyle::kProblem;
  /// What a JWT access token needs to call the route (issue #17); kNone: access tokens
  /// may not call it at all. Onboard tokens are checked by `roles` alone.
  domain::Permission permission = domain::Permission::kNone;
};

/// Matches method + path against onboard's routes (the matching itself is the server
/// target's, services/api/server/path_router.hpp). Thread-safe.
using RouteMatch = BasicRouteMatch<Route>;
using Router = BasicRouter<Route>;

/// The one routing table of onboard-api (routes.cpp).
std::vector<Route> ApiRoutes();

}  // namespace onboard::http
