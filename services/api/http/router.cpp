#include "router.hpp"

#include <Poco/URI.h>

#include <algorithm>

namespace onboard::http {

namespace {
std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// True when `parts` fit the template's segments; the `{name}` segments' decoded values go
// into `params`.
bool MatchSegments(const std::vector<std::string>& tmpl, const std::vector<std::string>& parts,
                   std::map<std::string, std::string>& params) {
  if (tmpl.size() != parts.size()) return false;
  for (std::size_t k = 0; k < tmpl.size(); ++k) {
    const std::string& t = tmpl[k];
    if (t.size() <= 2 || t.front() != '{' || t.back() != '}') {
      if (t != parts[k]) return false;
      continue;
    }
    if (parts[k].empty()) return false;
    std::string decoded;
    try {
      Poco::URI::decode(parts[k], decoded);
    } catch (...) {
      return false;
    }
    params[t.substr(1, t.size() - 2)] = decoded;
  }
  return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const auto& r : routes_) segments_.push_back(Split(r.path));
}

RouteMatch Router::Match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  const std::vector<std::string> parts = Split(path);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(segments_[i], parts, params)) continue;
    if (routes_[i].method == method) {
      result.route = &routes_[i];
      result.params = std::move(params);
      result.allowed.clear();
      return result;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), routes_[i].method) ==
        result.allowed.end()) {
      result.allowed.push_back(routes_[i].method);
    }
  }
  return result;
}

}  // namespace onboard::http
