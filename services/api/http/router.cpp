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
}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const auto& r : routes_) segments_.push_back(Split(r.path));
}

RouteMatch Router::Match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  const std::vector<std::string> parts = Split(path);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& tmpl = segments_[i];
    if (tmpl.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t k = 0; k < tmpl.size() && ok; ++k) {
      const std::string& t = tmpl[k];
      if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
        if (parts[k].empty()) {
          ok = false;
          break;
        }
        std::string decoded;
        try {
          Poco::URI::decode(parts[k], decoded);
        } catch (...) {
          ok = false;
          break;
        }
        params[t.substr(1, t.size() - 2)] = decoded;
      } else {
        ok = t == parts[k];
      }
    }
    if (!ok) continue;
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
