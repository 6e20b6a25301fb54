#pragma once

// The console's browser tests (issue #16): a scenario of tests/browser/run.mjs runs in
// node with the pinned puppeteer-core driving the Debian chromium against the real
// onboard-api (and, for the journey, the courier, the dev SMS provider and aiosmtpd).

#include <map>
#include <string>

#include "client_fixtures.hpp"

namespace onboard::testsupport::browser {

/// The built console (ONBOARD_CONSOLE_DIST, set by tests/console_tests.cmake).
std::string ConsoleDir();

/// The ONBOARD_* settings an onboard-api serving the console runs with.
std::map<std::string, std::string> ConsoleApiEnv();

/// The ApiSuite configuration of the console's test suites (ApiSuite<ConsoleSuiteConfig>):
/// one onboard-api serving the console, shared by the suites of every console test file.
struct ConsoleSuiteConfig {
  static std::map<std::string, std::string> Env() { return ConsoleApiEnv(); }
};

/// Runs `scenario` against http://127.0.0.1:`port` with `env` (tokens and ids the
/// scenario needs, ONBOARD_BROWSER_*), prints its output, fails the test unless it exits 0.
/// Fails when chromium or node is missing. Screenshots and figures go to
/// <build>/browser-evidence/<scenario>/.
CliResult RunScenario(const std::string& scenario, int port,
                      const std::map<std::string, std::string>& env);

}  // namespace onboard::testsupport::browser
