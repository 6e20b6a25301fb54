#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"

namespace {
void Usage() {
  std::cerr
      << "usage: onboard-api [serve] [--config=FILE]\n"
         "       onboard-api migrate [--config=FILE]\n"
         "       onboard-api token create --role operator|portal|auditor|provider --name NAME "
         "[--organisation ORGNO] "
         "[--expires-in-days N]\n"
         "       onboard-api audit verify [--from SEQ] [--to SEQ]\n"
         "Configuration: --config=FILE (properties or .ini) and ONBOARD_* environment variables.\n";
}
}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "serve";
  std::vector<std::string> rest;
  for (int i = 2; i < argc; ++i) rest.emplace_back(argv[i]);
  if (command == "serve")
    return onboard::app::RunServe(argc > 1 ? argc - 1 : argc, argc > 1 ? argv + 1 : argv);
  if (command.rfind("--", 0) == 0) return onboard::app::RunServe(argc, argv);
  if (command == "migrate") return onboard::app::RunMigrate(rest);
  if (command == "token") return onboard::app::RunToken(rest);
  if (command == "audit") return onboard::app::RunAudit(rest);
  if (command == "help" || command == "-h" || command == "--help") {
    Usage();
    return 0;
  }
  std::cerr << "onboard-api: unknown command '" << command << "'\n";
  Usage();
  return 64;
}
