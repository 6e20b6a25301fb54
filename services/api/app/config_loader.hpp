#pragma once

#include <string>
#include <vector>

#include <optional>

#include "config.hpp"
#include "signer.hpp"

namespace onboard::app {

/// Loads the configuration: `--config=FILE` (or `--config FILE`) from `args` when given,
/// then `ONBOARD_*` environment overrides; prints every problem to stderr and throws
/// ConfigError when invalid. Removes the consumed --config arguments from `args`.
AppConfig LoadAppConfig(std::vector<std::string>& args);

/// The checkpoint signing key named by audit.checkpoint_key_file, or nullopt when none is
/// configured. Throws ConfigError when the file is unreadable, too open or not a key.
std::optional<crypto::Signer> LoadCheckpointSigner(const AppConfig& config);

}  // namespace onboard::app
