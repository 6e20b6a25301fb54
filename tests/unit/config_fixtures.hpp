#pragma once

// What the configuration unit tests share: an environment, the problems LoadConfig reports.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"

namespace onboard::testsupport {

using ConfigEnv = std::map<std::string, std::string>;

/// A database URL that passes validation (no server needed).
inline const std::string kConfigDatabaseUrl = "postgresql://onboard@127.0.0.1:5432/onboard";

/// The problems LoadConfig reports for `env` (and `file`), none when it loads.
inline std::vector<std::string> ConfigProblems(
    const ConfigEnv& env, const Poco::Util::AbstractConfiguration* file = nullptr) {
  try {
    LoadConfig(file, env);
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

/// True when one of `problems` contains `text`.
inline bool AnyMentions(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

}  // namespace onboard::testsupport
