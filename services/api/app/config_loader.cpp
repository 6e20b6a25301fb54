#include "config_loader.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <iostream>

namespace onboard::app {

AppConfig LoadAppConfig(std::vector<std::string>& args) {
  std::string path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--config=", 0) == 0) {
      path = args[i].substr(9);
      args.erase(args.begin() + static_cast<long>(i));
      break;
    }
    if (args[i] == "--config" && i + 1 < args.size()) {
      path = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      break;
    }
  }
  if (path.empty()) {
    if (const auto env = ProcessEnvironment(); env.count("ONBOARD_CONFIG") != 0)
      path = env.at("ONBOARD_CONFIG");
  }
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> file;
  if (!path.empty()) {
    if (!Poco::File(path).exists())
      throw ConfigError({"--config: file " + path + " does not exist"});
    if (path.ends_with(".ini"))
      file = new Poco::Util::IniFileConfiguration(path);
    else
      file = new Poco::Util::PropertyFileConfiguration(path);
  }
  return LoadConfig(file.get(), ProcessEnvironment());
}

std::optional<crypto::Signer> LoadCheckpointSigner(const AppConfig& config) {
  if (config.audit.checkpoint_key_file.empty()) return std::nullopt;
  try {
    return crypto::Signer::FromPemFile(config.audit.checkpoint_key_file);
  } catch (const std::runtime_error& e) {
    throw ConfigError(
        {std::string("audit.checkpoint_key_file (ONBOARD_AUDIT_CHECKPOINT_KEY_FILE): ") +
         e.what()});
  }
}

}  // namespace onboard::app
