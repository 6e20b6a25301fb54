#pragma once

#include <string>
#include <vector>

namespace onboard::app {

/// `onboard-api serve`: runs the HTTP server until SIGTERM/SIGINT. Returns the exit code.
int RunServe(int argc, char** argv);
/// `onboard-api migrate`: applies pending migrations and exits.
int RunMigrate(const std::vector<std::string>& args);
/// `onboard-api token create --role R --name N [--expires-in-days D]`: prints the token.
int RunToken(const std::vector<std::string>& args);
/// `onboard-api audit verify [--from N] [--to N]`: recomputes the audit hash chain.
int RunAudit(const std::vector<std::string>& args);

}  // namespace onboard::app
