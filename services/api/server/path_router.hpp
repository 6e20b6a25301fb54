#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace onboard::http {

/// A path template's segments: "/v1/organisations/{orgno}" -> {"v1", "organisations",
/// "{orgno}"}.
std::vector<std::string> SplitPath(const std::string& path);

/// True when `parts` fit the template's segments; the `{name}` segments' percent-decoded
/// values go into `params`. An empty or undecodable value matches no `{name}` segment.
bool MatchPathSegments(const std::vector<std::string>& tmpl, const std::vector<std::string>& parts,
                       std::map<std::string, std::string>& params);

/// What Router::Match found: the route (method and path matched), or else the methods the
/// path takes (405 + Allow) or nothing (404).
template <class Route>
struct BasicRouteMatch {
  const Route* route = nullptr;               ///< set when path and method match
  std::map<std::string, std::string> params;  ///< decoded path parameters
  std::vector<std::string> allowed;           ///< methods for the path when only the method failed
};

/// Matches method + path against a table of routes, each with a `method` and a `path`
/// template with {name} segments; the first route that fits wins. Knows nothing of what a
/// route carries. Immutable after construction, so thread-safe.
template <class Route>
class BasicRouter {
 public:
  explicit BasicRouter(std::vector<Route> routes) : routes_(std::move(routes)) {
    for (const auto& r : routes_) segments_.push_back(SplitPath(r.path));
  }

  BasicRouteMatch<Route> Match(const std::string& method, const std::string& path) const {
    BasicRouteMatch<Route> result;
    if (path.empty() || path[0] != '/') return result;
    const std::vector<std::string> parts = SplitPath(path);
    for (std::size_t i = 0; i < routes_.size(); ++i) {
      std::map<std::string, std::string> params;
      if (!MatchPathSegments(segments_[i], parts, params)) continue;
      if (routes_[i].method == method) {
        result.route = &routes_[i];
        result.params = std::move(params);
        result.allowed.clear();
        return result;
      }
      const auto& allowed = result.allowed;
      if (std::find(allowed.begin(), allowed.end(), routes_[i].method) == allowed.end())
        result.allowed.push_back(routes_[i].method);
    }
    return result;
  }

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;
};

}  // namespace onboard::http
