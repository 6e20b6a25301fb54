#include "browser_rig.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace onboard::testsupport::browser {

namespace {

std::string Required(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    ADD_FAILURE() << name << " is not set (tests/console_tests.cmake sets it)";
    throw std::runtime_error(std::string(name) + " is not set");
  }
  return v;
}

}  // namespace

std::string ConsoleDir() { return Required("ONBOARD_CONSOLE_DIST"); }

std::map<std::string, std::string> ConsoleApiEnv() {
  return {{"ONBOARD_CONSOLE_DIR", ConsoleDir()}};
}

CliResult RunScenario(const std::string& scenario, int port,
                      const std::map<std::string, std::string>& env) {
  CliResult failed;
  const std::string chromium =
      std::getenv("ONBOARD_CHROMIUM") ? std::getenv("ONBOARD_CHROMIUM") : "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    ADD_FAILURE() << chromium
                  << " is missing: the browser tests need the Debian package chromium "
                     "(ops/install-deps installs it)";
    return failed;
  }
  const auto node = FindOnPath("node");
  if (!node) {
    ADD_FAILURE() << "node is missing (ops/install-deps installs Node.js)";
    return failed;
  }
  const std::string evidence = Required("ONBOARD_BROWSER_EVIDENCE_ROOT") + "/" + scenario;
  std::filesystem::remove_all(evidence);
  std::filesystem::create_directories(evidence);
  std::vector<std::string> vars = {
      "PATH=/usr/bin:/bin",
      "HOME=" + evidence,
      "PUPPETEER_SKIP_DOWNLOAD=1",
      "ONBOARD_NODE_MODULES=" + Required("ONBOARD_NODE_MODULES"),
      "ONBOARD_BROWSER_BASE_URL=http://127.0.0.1:" + std::to_string(port),
      "ONBOARD_BROWSER_EVIDENCE_DIR=" + evidence,
      "ONBOARD_CHROMIUM=" + chromium,
  };
  for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
  const CliResult r = RunProgram({*node, Required("ONBOARD_BROWSER_JS"), scenario}, vars, 300s);
  std::cout << r.out << r.err << std::flush;
  EXPECT_EQ(r.exit_code, 0) << "browser scenario " << scenario << " failed:\n" << r.err;
  return r;
}

}  // namespace onboard::testsupport::browser
