#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

#include <iostream>
#include <map>

#include "api_token.hpp"
#include "audit_documents.hpp"
#include "audit_export.hpp"
#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "commands.hpp"
#include "config_loader.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "migrator.hpp"
#include "pool.hpp"
#include "repository.hpp"
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
    std::cout << "migrations: " << status.applied.size() << " applied, " << status.total
              << " known\n";
    return 0;
  });
}

int RunToken(const std::vector<std::string>& input) {
  return Guarded("token", [&] {
    std::vector<std::string> args = input;
    AppConfig config = LoadAppConfig(args);
    if (args.empty() || args[0] != "create")
      throw std::invalid_argument("usage: token create --role ROLE --name NAME");
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
      if (k != "role" && k != "name" && k != "expires-in-days" && k != "organisation")
        throw std::invalid_argument("unknown option --" + k);
    }
    domain::ValidateNewToken(flags["name"], expires);
    db::Pool pool(config.database.url, 1, config.database.acquire_timeout_ms,
                  config.database.connect_timeout_s);
    db::TokenRepository tokens(pool);
    crypto::SecretString secret = domain::GenerateTokenSecret();
    domain::ApiToken token;
    token.id = crypto::NewUuid();
    token.name = flags["name"];
    token.role = *role;
    if (flags.count("organisation") != 0) {
      if (token.role != domain::Role::kPortal)
        throw std::invalid_argument("--organisation is for portal tokens only");
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
    db::AuditedWrite(pool, audit, [&](db::PgUnitOfWork& unit) {
      tokens.Create(unit, token, domain::HashToken(secret.reveal()), expires);
    });
    std::cout << secret.reveal() << std::endl;
    return 0;
  });
}

int RunAudit(const std::vector<std::string>& input) {
  return Guarded("audit", [&] {
    std::vector<std::string> args = input;
    AppConfig config = LoadAppConfig(args);
    if (args.empty() || args[0] != "verify") {
      throw std::invalid_argument("usage: audit verify [--from SEQ|TIME] [--to SEQ|TIME]");
    }
    auto flags = Flags(args, 1);
    for (const auto& [k, v] : flags) {
      if (k != "from" && k != "to") throw std::invalid_argument("unknown option --" + k);
    }
    // A bound is a seq number (digits) or an RFC 3339 time / date.
    auto bound = [&](const char* name, int64_t& seq, std::optional<int64_t>& us) {
      if (flags.count(name) == 0) return;
      const std::string& v = flags[name];
      Poco::Int64 n = 0;
      if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos &&
          Poco::NumberParser::tryParse64(v, n)) {
        seq = n;
        return;
      }
      int64_t t = 0;
      if (!domain::ParseRfc3339Micros(v, t)) {
        throw std::invalid_argument(std::string("--") + name +
                                    " must be a seq number or an RFC 3339 time");
      }
      us = t;
    };
    int64_t from = 1, to = 0;
    std::optional<int64_t> from_us, to_us;
    bound("from", from, from_us);
    bound("to", to, to_us);
    std::optional<crypto::Signer> signer = LoadCheckpointSigner(config);
    db::Pool pool(config.database.url, 1, config.database.acquire_timeout_ms,
                  config.database.connect_timeout_s);
    db::AuditLogRepository audit_log(pool);
    domain::ChainReport v;
    bool empty_range = false;
    if (from_us || to_us) {
      const auto [lo, hi] = audit_log.SeqRangeForTimes(from_us, to_us);
      empty_range = lo == 0;
      if (from_us) from = lo;
      if (to_us) to = hi;
    }
    if (!empty_range) v = audit_log.Verify(from < 1 ? 1 : from, to, signer ? &*signer : nullptr);
    Poco::JSON::Object out = usecases::ChainReportJson(v);
    out.set("signature_key_id",
            signer ? Poco::Dynamic::Var(signer->key_id()) : Poco::Dynamic::Var());
    {
      db::Lease lease = pool.Acquire();
      out.set("queued", db::QueuedAuditEvents(*lease));  // committed, not yet sealed (normally 0)
    }
    out.stringify(std::cout);
    std::cout << "\n";
    return v.intact ? 0 : 1;
  });
}

}  // namespace onboard::app
