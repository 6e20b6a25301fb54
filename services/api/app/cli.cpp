#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

#include <iostream>
#include <map>

#include "api_token.hpp"
#include "audit_store.hpp"
#include "commands.hpp"
#include "config_loader.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "migrator.hpp"
#include "pool.hpp"
#include "token_repository.hpp"

namespace onboard::app {

namespace {

// Parses "--key value" / "--key=value" pairs; throws std::invalid_argument on anything else.
std::map<std::string, std::string> Flags(const std::vector<std::string>& args, std::size_t from) {
  std::map<std::string, std::string> out;
  for (std::size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + a + "'");
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      out[a.substr(2, eq - 2)] = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      out[a.substr(2)] = args[++i];
    } else {
      throw std::invalid_argument("option " + a + " needs a value");
    }
  }
  return out;
}

domain::AuditEvent CliAudit(std::string action, std::string target_type, std::string target_id) {
  domain::AuditEvent e;
  const char* user = ::getenv("USER");
  e.actor.name = std::string("cli:") + (user != nullptr ? user : "unknown");
  e.actor.role = "system";
  e.actor.request_id = crypto::NewUuid();
  e.actor.source_ip = "local";
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  return e;
}

template <class Fn>
int Guarded(const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (const ConfigError& e) {
    std::cerr << "onboard-api: " << e.what() << "\n";
    return 78;
  } catch (const AppError& e) {
    std::cerr << "onboard-api " << what << ": " << e.detail();
    if (!e.internal().empty()) std::cerr << " (" << e.internal() << ")";
    for (const auto& fe : e.field_errors()) std::cerr << "\n  " << fe.path << ": " << fe.message;
    std::cerr << "\n";
    return e.code() == ErrorCode::kUnavailable ? 69 : 65;
  } catch (const std::invalid_argument& e) {
    std::cerr << "onboard-api " << what << ": " << e.what() << "\n";
    return 64;
  }
}

}  // namespace

int RunMigrate(const std::vector<std::string>& input) {
  return Guarded("migrate", [&] {
    std::vector<std::string> args = input;
    AppConfig config = LoadAppConfig(args);
    if (!args.empty()) throw std::invalid_argument("unexpected argument '" + args.front() + "'");
    db::Connection conn(config.database.url, config.database.connect_timeout_s);
    db::MigrationStatus status = db::Migrate(conn);
    std::cout << "migrations: " << status.applied.size() << " applied, " << status.total << " known\n";
    return 0;
  });
}

int RunToken(const std::vector<std::string>& input) {
  return Guarded("token", [&] {
    std::vector<std::string> args = input;
    AppConfig config = LoadAppConfig(args);
    if (args.empty() || args[0] != "create") throw std::invalid_argument("usage: token create --role ROLE --name NAME");
    auto flags = Flags(args, 1);
    const auto role = domain::ParseRole(flags["role"]);
    if (!role) throw std::invalid_argument("--role must be operator, portal, auditor or provider");
    std::optional<int> expires;
    if (flags.count("expires-in-days") != 0) {
      int d = 0;
      if (!Poco::NumberParser::tryParse(flags["expires-in-days"], d)) {
        throw std::invalid_argument("--expires-in-days must be a number");
      }
      expires = d;
    }
    for (const auto& [k, v] : flags) {
      if (k != "role" && k != "name" && k != "expires-in-days" && k != "organisation") throw std::invalid_argument("unknown option --" + k);
    }
    domain::ValidateNewToken(flags["name"], expires);
    db::Pool pool(config.database.url, 1, config.database.acquire_timeout_ms, config.database.connect_timeout_s);
    db::TokenRepository tokens(pool);
    crypto::SecretString secret = domain::GenerateTokenSecret();
    domain::ApiToken token;
    token.id = crypto::NewUuid();
    token.name = flags["name"];
    token.role = *role;
    if (flags.count("organisation") != 0) {
      if (token.role != domain::Role::kPortal) throw std::invalid_argument("--organisation is for portal tokens only");
      token.organisation = flags["organisation"];
    }
    token.prefix = domain::TokenDisplayPrefix(secret.reveal());
    domain::AuditEvent audit = CliAudit("token.create", "api_token", token.id);
    token.created_by = audit.actor.name;
    Poco::JSON::Object detail;
    detail.set("name", token.name);
    detail.set("role", std::string(domain::RoleName(token.role)));
    std::ostringstream detail_text;
    detail.stringify(detail_text);
    audit.detail_json = detail_text.str();
    tokens.Create(token, domain::HashToken(secret.reveal()), expires, audit);
    std::cout << secret.reveal() << std::endl;
    return 0;
  });
}

int RunAudit(const std::vector<std::string>& input) {
  return Guarded("audit", [&] {
    std::vector<std::string> args = input;
    AppConfig config = LoadAppConfig(args);
    if (args.empty() || args[0] != "verify") throw std::invalid_argument("usage: audit verify [--from SEQ] [--to SEQ]");
    auto flags = Flags(args, 1);
    Poco::Int64 from = 1, to = 0;
    if (flags.count("from") != 0 && !Poco::NumberParser::tryParse64(flags["from"], from)) {
      throw std::invalid_argument("--from must be a number");
    }
    if (flags.count("to") != 0 && !Poco::NumberParser::tryParse64(flags["to"], to)) {
      throw std::invalid_argument("--to must be a number");
    }
    db::Connection conn(config.database.url, config.database.connect_timeout_s);
    db::ChainVerification v = db::VerifyAuditChain(conn, from < 1 ? 1 : from, to);
    Poco::JSON::Object out;
    out.set("intact", v.intact);
    out.set("checked", v.checked);
    out.set("first_seq", v.first_seq);
    out.set("last_seq", v.last_seq);
    out.set("queued", db::QueuedAuditEvents(conn));  // committed, not yet sealed (normally 0)
    if (!v.intact) {
      out.set("broken_seq", *v.broken_seq);
      out.set("reason", v.reason);
      out.set("expected_hash", v.expected_hash);
      out.set("found_hash", v.found_hash);
    }
    out.stringify(std::cout);
    std::cout << "\n";
    return v.intact ? 0 : 1;
  });
}

}  // namespace onboard::app
