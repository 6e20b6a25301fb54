#include "config.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include <Poco/Environment.h>
#include <Poco/NumberParser.h>

#include "crypto.hpp"

#include <cctype>

#include "error.hpp"

extern char** environ;

namespace onboard {

using crypto::Cleanse;

namespace {

// Reads a secret from a file that only its owner may read or write.
bool ReadSecretFile(const std::string& path, std::string& out, std::string& problem) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    problem = "cannot read " + path;
    return false;
  }
  if ((st.st_mode & 077) != 0) {
    problem = path + " must not be readable by group or others (chmod 600)";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem = "cannot read " + path;
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string out = "invalid configuration:";
  for (const auto& p : problems) out += "\n  - " + p;
  return out;
}

class Reader {
 public:
  Reader(const Poco::Util::AbstractConfiguration* file, const std::map<std::string, std::string>& env)
      : file_(file), env_(env) {}

  // Returns the raw value of `key` (environment first, then file) or nullptr-equivalent.
  bool Raw(const std::string& key, std::string& out, std::string& source) const {
    const std::string env_name = EnvNameFor(key);
    if (auto it = env_.find(env_name); it != env_.end()) {
      out = it->second;
      source = env_name;
      return true;
    }
    if (file_ != nullptr && file_->hasProperty(key)) {
      out = file_->getRawString(key);
      source = key;
      return true;
    }
    return false;
  }

  void String(const std::string& key, std::string& target) {
    std::string raw, source;
    if (Raw(key, raw, source)) target = raw;
  }

  void Int(const std::string& key, int& target, int min, int max) {
    std::string raw, source;
    if (!Raw(key, raw, source)) return;
    int value = 0;
    if (!Poco::NumberParser::tryParse(raw, value)) {
      problems_.push_back(source + ": expected an integer, got '" + raw + "'");
      return;
    }
    if (value < min || value > max) {
      problems_.push_back(source + ": must be between " + std::to_string(min) + " and " + std::to_string(max) +
                          ", got " + raw);
      return;
    }
    target = value;
  }

  void Bool(const std::string& key, bool& target) {
    std::string raw, source;
    if (!Raw(key, raw, source)) return;
    if (raw == "true" || raw == "1" || raw == "yes" || raw == "on") target = true;
    else if (raw == "false" || raw == "0" || raw == "no" || raw == "off") target = false;
    else problems_.push_back(source + ": expected true or false, got '" + raw + "'");
  }

  void Problem(std::string text) { problems_.push_back(std::move(text)); }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  const Poco::Util::AbstractConfiguration* file_;
  const std::map<std::string, std::string>& env_;
  std::vector<std::string> problems_;
};

// Parses delivery.mobile_prefixes; see DeliveryConfig.
bool ParseMobilePrefixes(const std::string& raw, std::vector<MobilePrefix>& out, std::string& problem) {
  out.clear();
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t cut = raw.find(',', pos);
    if (cut == std::string::npos) cut = raw.size();
    std::string entry = raw.substr(pos, cut - pos);
    pos = cut + 1;
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (entry.empty()) continue;
    MobilePrefix p;
    const auto colon = entry.find(':');
    p.prefix = entry.substr(0, colon);
    if (p.prefix.size() < 2 || p.prefix.size() > 4 || p.prefix[0] != '+' || p.prefix[1] == '0' ||
        p.prefix.find_first_not_of("0123456789", 1) != std::string::npos) {
      problem = "'" + entry + "': a prefix is + and a 1-3 digit country code";
      return false;
    }
    if (colon == std::string::npos) {
      p.min_digits = p.prefix == "+47" ? 8 : 4;
      p.max_digits = p.prefix == "+47" ? 8 : 12;
    } else {
      const std::string len = entry.substr(colon + 1);
      const auto dash = len.find('-');
      int lo = 0, hi = 0;
      const bool ok = dash == std::string::npos
                          ? Poco::NumberParser::tryParse(len, lo) && (hi = lo, true)
                          : Poco::NumberParser::tryParse(len.substr(0, dash), lo) &&
                                Poco::NumberParser::tryParse(len.substr(dash + 1), hi);
      if (!ok || lo < 4 || hi < lo || static_cast<int>(p.prefix.size()) - 1 + hi > 15) {
        problem = "'" + entry + "': digits after the prefix must be N or MIN-MAX, 4 or more, 15 in all at most";
        return false;
      }
      p.min_digits = lo;
      p.max_digits = hi;
    }
    out.push_back(std::move(p));
  }
  if (out.empty()) {
    problem = "must list at least one prefix, e.g. +47";
    return false;
  }
  return true;
}

void CompleteEndpoints(EnvironmentEndpoints& e) {
  while (!e.issuer.empty() && e.issuer.back() == '/') e.issuer.pop_back();
  if (e.well_known_url.empty()) e.well_known_url = e.issuer + "/.well-known/openid-configuration";
  if (e.token_endpoint.empty()) e.token_endpoint = e.issuer + "/token";
}

bool IsHttpsUrl(const std::string& url) { return url.rfind("https://", 0) == 0 && url.size() > 8; }

}  // namespace

const EnvironmentEndpoints& EnvironmentsConfig::For(const std::string& environment) const {
  if (environment == "test") return test;
  if (environment == "production") return production;
  throw AppError(ErrorCode::kInternal, "internal error", "unknown environment '" + environment + "'");
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(JoinProblems(problems)), problems_(std::move(problems)) {}

std::string EnvNameFor(const std::string& key) {
  std::string out = "ONBOARD_";
  for (char c : key) out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

AppConfig LoadConfig(const Poco::Util::AbstractConfiguration* file, const std::map<std::string, std::string>& env) {
  AppConfig cfg;
  Reader r(file, env);
  r.String("http.host", cfg.http.host);
  r.Int("http.port", cfg.http.port, 0, 65535);
  r.String("http.port_file", cfg.http.port_file);
  r.Int("http.max_threads", cfg.http.max_threads, 1, 1024);
  r.Int("http.max_queued", cfg.http.max_queued, 0, 100000);
  r.Int("http.max_body_bytes", cfg.http.max_body_bytes, 1024, 64 << 20);
  r.Bool("http.keep_alive", cfg.http.keep_alive);
  r.Int("http.keep_alive_timeout_s", cfg.http.keep_alive_timeout_s, 1, 3600);
  r.Int("http.request_timeout_s", cfg.http.request_timeout_s, 1, 3600);
  r.Int("http.shutdown_grace_s", cfg.http.shutdown_grace_s, 0, 600);

  r.String("database.url", cfg.database.url);
  r.Int("database.pool_size", cfg.database.pool_size, 1, 512);
  r.Int("database.acquire_timeout_ms", cfg.database.acquire_timeout_ms, 1, 60000);
  r.Int("database.connect_timeout_s", cfg.database.connect_timeout_s, 1, 600);
  r.Int("database.retry_after_s", cfg.database.retry_after_s, 1, 3600);
  r.Bool("database.migrate_on_start", cfg.database.migrate_on_start);

  r.Int("auth.token_cache_ttl_ms", cfg.auth.token_cache_ttl_ms, 0, 600000);

  r.String("http.public_base_url", cfg.http.public_base_url);
  r.String("secrets.pepper", cfg.secrets.pepper);
  std::string pepper_file;
  r.String("secrets.pepper_file", pepper_file);
  r.Int("secrets.lifetime_days", cfg.secrets.lifetime_days, 1, 360);
  if (!pepper_file.empty()) {
    std::string problem;
    if (ReadSecretFile(pepper_file, cfg.secrets.pepper, problem)) {
      while (!cfg.secrets.pepper.empty() && (cfg.secrets.pepper.back() == '\n' || cfg.secrets.pepper.back() == '\r')) {
        cfg.secrets.pepper.pop_back();
      }
    } else {
      r.Problem("secrets.pepper_file (ONBOARD_SECRETS_PEPPER_FILE): " + problem);
    }
  }
  {
    std::string kek_text;
    r.String("secrets.kek", kek_text);
    std::string kek_file;
    r.String("secrets.kek_file", kek_file);
    std::string source = "secrets.kek (ONBOARD_SECRETS_KEK)";
    if (!kek_file.empty()) {
      std::string problem;
      Cleanse(kek_text);
      source = "secrets.kek_file (ONBOARD_SECRETS_KEK_FILE)";
      if (!ReadSecretFile(kek_file, kek_text, problem)) r.Problem(source + ": " + problem);
    }
    if (!kek_text.empty()) {
      std::vector<std::string> kek_problems;
      cfg.secrets.keks = crypto::ParseKeks(kek_text, kek_problems);
      for (const auto& p : kek_problems) r.Problem(source + ": " + p);
      if (kek_problems.empty() && cfg.secrets.keks.empty()) r.Problem(source + ": lists no key");
      Cleanse(kek_text);
    }
  }
  r.Int("secrets.grace_days", cfg.secrets.grace_days, 0, 90);
  r.Int("secrets.max_old", cfg.secrets.max_old, 0, 20);
  r.Int("delivery.package_ttl_days", cfg.delivery.package_ttl_days, 1, 90);
  r.Int("delivery.sweep_interval_s", cfg.delivery.sweep_interval_s, 1, 86400);
  {
    std::string raw, source;
    if (r.Raw("delivery.mobile_prefixes", raw, source)) {
      std::string problem;
      if (!ParseMobilePrefixes(raw, cfg.delivery.mobile_prefixes, problem)) r.Problem(source + ": " + problem);
    }
  }
  for (const auto& [name, endpoints] : {std::pair{"test", &cfg.environments.test},
                                  std::pair{"production", &cfg.environments.production}}) {
    const std::string base = std::string("environments.") + name;
    r.String(base + ".issuer", endpoints->issuer);
    r.String(base + ".well_known_url", endpoints->well_known_url);
    r.String(base + ".token_endpoint", endpoints->token_endpoint);
    CompleteEndpoints(*endpoints);
    for (const auto& [key, value] : {std::pair{".issuer", endpoints->issuer},
                                     std::pair{".well_known_url", endpoints->well_known_url},
                                     std::pair{".token_endpoint", endpoints->token_endpoint}}) {
      if (!IsHttpsUrl(value)) {
        r.Problem(base + key + " (" + EnvNameFor(base + key) + "): must be an https:// URL, got '" + value + "'");
      }
    }
  }
  if (!cfg.secrets.pepper.empty() && cfg.secrets.pepper.size() < 32) {
    r.Problem("secrets.pepper (ONBOARD_SECRETS_PEPPER): must be at least 32 characters");
  }
  if (!cfg.http.public_base_url.empty() && cfg.http.public_base_url.rfind("http://", 0) != 0 &&
      cfg.http.public_base_url.rfind("https://", 0) != 0) {
    r.Problem("http.public_base_url (ONBOARD_HTTP_PUBLIC_BASE_URL): must start with http:// or https://");
  }
  r.Bool("orders.four_eyes", cfg.orders.four_eyes);
  r.String("clients.scope_catalogue_file", cfg.clients.scope_catalogue_file);
  r.Int("verification.max_age_days", cfg.verification.max_age_days, 1, 3650);
  r.String("log.level", cfg.log.level);
  r.Bool("log.access", cfg.log.access);
  r.String("instance.id", cfg.instance_id);
  r.String("audit.checkpoint_key_file", cfg.audit.checkpoint_key_file);
  r.Bool("audit.checkpoint_daily", cfg.audit.checkpoint_daily);
  r.Int("audit.retention_days", cfg.audit.retention_days, 0, 36500);
  r.Int("audit.maintenance_interval_s", cfg.audit.maintenance_interval_s, 1, 86400);
  r.Int("audit.refusal_flush_ms", cfg.audit.refusal_flush_ms, 50, 60000);
  if (cfg.audit.retention_days > 0 && cfg.audit.checkpoint_key_file.empty()) {
    r.Problem("audit.retention_days (ONBOARD_AUDIT_RETENTION_DAYS): pruning needs audit.checkpoint_key_file, so the "
              "remaining chain starts from a signed checkpoint");
  }

  if (cfg.database.url.empty()) {
    r.Problem("database.url (ONBOARD_DATABASE_URL): required, e.g. postgresql://onboard@127.0.0.1:5432/onboard");
  } else if (cfg.database.url.rfind("postgresql://", 0) != 0 && cfg.database.url.rfind("postgres://", 0) != 0 &&
             cfg.database.url.find('=') == std::string::npos) {
    r.Problem("database.url (ONBOARD_DATABASE_URL): expected a postgresql:// URI or a key=value connection string");
  }
  if (cfg.http.host.empty()) r.Problem("http.host (ONBOARD_HTTP_HOST): must not be empty");
  if (cfg.log.level != "debug" && cfg.log.level != "info" && cfg.log.level != "warn" && cfg.log.level != "error") {
    r.Problem("log.level (ONBOARD_LOG_LEVEL): expected debug, info, warn or error, got '" + cfg.log.level + "'");
  }
  if (cfg.instance_id.empty()) {
    cfg.instance_id = Poco::Environment::nodeName() + ":" + std::to_string(::getpid());
  }
  if (!r.problems().empty()) throw ConfigError(r.problems());
  return cfg;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos && entry.rfind("ONBOARD_", 0) == 0) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace onboard
