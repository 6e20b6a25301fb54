#pragma once

#include <map>
#include <string>
#include <vector>

#include "app_services.hpp"
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

struct RouteMatch {
  const Route* route = nullptr;               ///< set when path and method match
  std::map<std::string, std::string> params;  ///< decoded path parameters
  std::vector<std::string> allowed;           ///< methods for the path when only the method failed
};

/// Matches method + path against the routing table. Immutable after construction, so
/// thread-safe.
class Router {
 public:
  explicit Router(std::vector<Route> routes);
  RouteMatch Match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;
};

/// The one routing table of onboard-api (routes.cpp).
std::vector<Route> ApiRoutes();

}  // namespace onboard::http
