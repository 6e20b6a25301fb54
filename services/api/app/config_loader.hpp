#pragma once

#include <string>
#include <vector>

#include "config.hpp"

namespace onboard::app {

/// Loads the configuration: `--config=FILE` (or `--config FILE`) from `args` when given,
/// then `ONBOARD_*` environment overrides; prints every problem to stderr and throws
/// ConfigError when invalid. Removes the consumed --config arguments from `args`.
AppConfig LoadAppConfig(std::vector<std::string>& args);

}  // namespace onboard::app
