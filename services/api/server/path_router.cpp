#include "path_router.hpp"

#include <Poco/URI.h>

namespace onboard::http {

std::vector<std::string> SplitPath(const std::string& path) {
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

bool MatchPathSegments(const std::vector<std::string>& tmpl, const std::vector<std::string>& parts,
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

}  // namespace onboard::http
