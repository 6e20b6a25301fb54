#include "config.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <set>
#include <thread>
#include <vector>

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
  Reader(const Poco::Util::AbstractConfiguration* file,
         const std::map<std::string, std::string>& env)
      : file_(file), env_(env) {}

  // Returns the raw value of `key` (environment first, then file) or nullptr-equivalent.
  bool Raw(const std::string& key, std::string& out, std::string& source) {
    known_.insert(key);
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
      problems_.push_back(source + ": must be between " + std::to_string(min) + " and " +
                          std::to_string(max) + ", got " + raw);
      return;
    }
    target = value;
  }

  void Bool(const std::string& key, bool& target) {
    std::string raw, source;
    if (!Raw(key, raw, source)) return;
    if (raw == "true" || raw == "1" || raw == "yes" || raw == "on")
      target = true;
    else if (raw == "false" || raw == "0" || raw == "no" || raw == "off")
      target = false;
    else
      problems_.push_back(source + ": expected true or false, got '" + raw + "'");
  }

  // Comma-separated list; blanks around items are dropped.
  void List(const std::string& key, std::vector<std::string>& target) {
    std::string raw, source;
    if (!Raw(key, raw, source)) return;
    target.clear();
    std::string item;
    auto flush = [&] {
      const auto b = item.find_first_not_of(" \t");
      const auto e = item.find_last_not_of(" \t");
      if (b != std::string::npos) target.push_back(item.substr(b, e - b + 1));
      item.clear();
    };
    for (char c : raw) {
      if (c == ',')
        flush();
      else
        item.push_back(c);
    }
    flush();
  }

  // Reads the 0600 file named by `key` into `target` (trailing newlines dropped).
  void SecretFile(const std::string& key, std::string& target) {
    std::string path, source;
    if (!Raw(key, path, source) || path.empty()) return;
    std::string problem;
    if (!ReadSecretFile(path, target, problem)) {
      problems_.push_back(source + ": " + problem);
      return;
    }
    while (!target.empty() && (target.back() == '\n' || target.back() == '\r')) target.pop_back();
  }

  // A Twilio sid: `prefix` then 32 hex digits (empty is allowed: not configured).
  void Pattern(const std::string& key, const std::string& value, const char* prefix) {
    if (value.empty()) return;
    bool ok = value.size() == 34 && value.rfind(prefix, 0) == 0;
    for (std::size_t i = 2; ok && i < value.size(); ++i)
      ok = std::isxdigit(static_cast<unsigned char>(value[i])) != 0;
    if (!ok)
      problems_.push_back(key + " (" + EnvNameFor(key) + "): expected " + prefix +
                          " followed by 32 hex digits");
  }

  void Problem(std::string text) { problems_.push_back(std::move(text)); }
  const std::vector<std::string>& problems() const { return problems_; }

  // Reports every key of the file that no reader asked for (a typo such as `http.prot`
  // would otherwise leave the default in force without a word), with the nearest known
  // key as a suggestion. Call after every key has been read.
  void RejectUnknownFileKeys() {
    if (file_ == nullptr) return;
    std::vector<std::string> leaves;
    CollectLeaves("", leaves);
    for (const auto& key : leaves) {
      if (known_.count(key) != 0) continue;
      std::string text = key + ": unknown configuration key";
      if (const std::string near = Nearest(key); !near.empty())
        text += " (did you mean " + near + "?)";
      problems_.push_back(std::move(text));
    }
  }

 private:
  void CollectLeaves(const std::string& prefix, std::vector<std::string>& out) const {
    Poco::Util::AbstractConfiguration::Keys keys;
    file_->keys(prefix, keys);
    if (keys.empty()) {
      if (!prefix.empty()) out.push_back(prefix);
      return;
    }
    // A key can hold a value and have children (`a=1` next to `a.b=2`): both count.
    if (!prefix.empty() && file_->hasProperty(prefix)) out.push_back(prefix);
    for (const auto& k : keys) CollectLeaves(prefix.empty() ? k : prefix + "." + k, out);
  }

  // The known key closest to `key` by edit distance, if it is close enough to be a typo.
  std::string Nearest(const std::string& key) const {
    std::string best;
    std::size_t best_distance = 4;
    for (const auto& candidate : known_) {
      const std::size_t d = EditDistance(key, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
    return best;
  }

  static std::size_t EditDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  }

  const Poco::Util::AbstractConfiguration* file_;
  const std::map<std::string, std::string>& env_;
  std::vector<std::string> problems_;
  std::set<std::string> known_;
};

// Parses delivery.mobile_prefixes; see DeliveryConfig.
bool ParseMobilePrefixes(const std::string& raw, std::vector<MobilePrefix>& out,
                         std::string& problem) {
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
        problem = "'" + entry +
                  "': digits after the prefix must be N or MIN-MAX, 4 or more, 15 in all at most";
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
  throw AppError(ErrorCode::kInternal, "internal error",
                 "unknown environment '" + environment + "'");
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(JoinProblems(problems)), problems_(std::move(problems)) {}

std::string EnvNameFor(const std::string& key) {
  std::string out = "ONBOARD_";
  for (char c : key)
    out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

int DefaultHttpWorkers() noexcept {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::max(16, 4 * static_cast<int>(cores == 0 ? 2 : cores));
}

AppConfig LoadConfig(const Poco::Util::AbstractConfiguration* file,
                     const std::map<std::string, std::string>& env) {
  AppConfig cfg;
  Reader r(file, env);
  r.String("http.host", cfg.http.host);
  r.Int("http.port", cfg.http.port, 0, 65535);
  r.String("http.port_file", cfg.http.port_file);
  r.Int("http.max_threads", cfg.http.max_threads, 1, 1024);
  r.Int("http.max_queued", cfg.http.max_queued, 0, 100000);
  r.Int("http.max_connections", cfg.http.max_connections, 1, 1000000);
  r.Int("http.keep_while_free_ms", cfg.http.keep_while_free_ms, 0, 10000);
  r.Int("http.max_body_bytes", cfg.http.max_body_bytes, 1024, 64 << 20);
  r.Bool("http.keep_alive", cfg.http.keep_alive);
  r.Int("http.keep_alive_timeout_s", cfg.http.keep_alive_timeout_s, 1, 3600);
  r.Int("http.request_timeout_s", cfg.http.request_timeout_s, 1, 3600);
  r.Int("http.shutdown_grace_s", cfg.http.shutdown_grace_s, 0, 600);
  r.Int("http.header_timeout_s", cfg.http.header_timeout_s, 1, 3600);

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
      while (!cfg.secrets.pepper.empty() &&
             (cfg.secrets.pepper.back() == '\n' || cfg.secrets.pepper.back() == '\r')) {
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
      if (!ParseMobilePrefixes(raw, cfg.delivery.mobile_prefixes, problem))
        r.Problem(source + ": " + problem);
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
        r.Problem(base + key + " (" + EnvNameFor(base + key) + "): must be an https:// URL, got '" +
                  value + "'");
      }
    }
  }
  if (!cfg.secrets.pepper.empty() && cfg.secrets.pepper.size() < 32) {
    r.Problem("secrets.pepper (ONBOARD_SECRETS_PEPPER): must be at least 32 characters");
  }
  if (!cfg.http.public_base_url.empty() && cfg.http.public_base_url.rfind("http://", 0) != 0 &&
      cfg.http.public_base_url.rfind("https://", 0) != 0) {
    r.Problem(
        "http.public_base_url (ONBOARD_HTTP_PUBLIC_BASE_URL): must start with http:// or https://");
  }
  r.Bool("orders.four_eyes", cfg.orders.four_eyes);
  r.Int("session.idle_timeout_s", cfg.session.idle_timeout_s, 60, 86400);
  r.Int("session.absolute_timeout_s", cfg.session.absolute_timeout_s, 300, 604800);
  r.String("session.cookie_secure", cfg.session.cookie_secure);
  if (cfg.session.cookie_secure != "auto" && cfg.session.cookie_secure != "always" &&
      cfg.session.cookie_secure != "never") {
    r.Problem(
        "session.cookie_secure (ONBOARD_SESSION_COOKIE_SECURE): must be auto, always or never");
  }
  if (cfg.session.idle_timeout_s > cfg.session.absolute_timeout_s) {
    r.Problem(
        "session.idle_timeout_s (ONBOARD_SESSION_IDLE_TIMEOUT_S): must not exceed "
        "session.absolute_timeout_s");
  }
  r.String("console.dir", cfg.console.dir);
  if (!cfg.console.dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(cfg.console.dir) / "index.html",
                                          ec)) {
      r.Problem("console.dir (ONBOARD_CONSOLE_DIR): " + cfg.console.dir +
                " has no index.html (build the console: ops/build --target onboard_console)");
    }
  }
  r.String("clients.scope_catalogue_file", cfg.clients.scope_catalogue_file);
  r.Int("verification.max_age_days", cfg.verification.max_age_days, 1, 3650);
  // SMS, SMTP and the courier (issue #5 delivery).
  r.String("sms.base_url", cfg.sms.base_url);
  r.String("sms.account_sid", cfg.sms.account_sid);
  r.String("sms.auth_token", cfg.sms.auth_token);
  r.SecretFile("sms.auth_token_file", cfg.sms.auth_token);
  r.String("sms.api_key_sid", cfg.sms.api_key_sid);
  r.String("sms.api_key_secret", cfg.sms.api_key_secret);
  r.SecretFile("sms.api_key_secret_file", cfg.sms.api_key_secret);
  r.String("sms.from", cfg.sms.from);
  r.String("sms.messaging_service_sid", cfg.sms.messaging_service_sid);
  r.String("sms.status_callback_url", cfg.sms.status_callback_url);
  r.Int("sms.timeout_ms", cfg.sms.timeout_ms, 100, 600000);
  r.Int("sms.connect_timeout_ms", cfg.sms.connect_timeout_ms, 100, 600000);
  while (!cfg.sms.base_url.empty() && cfg.sms.base_url.back() == '/') cfg.sms.base_url.pop_back();
  if (cfg.sms.base_url.rfind("http://", 0) != 0 && cfg.sms.base_url.rfind("https://", 0) != 0) {
    r.Problem("sms.base_url (ONBOARD_SMS_BASE_URL): must start with http:// or https://");
  }
  r.Pattern("sms.account_sid", cfg.sms.account_sid, "AC");
  r.Pattern("sms.api_key_sid", cfg.sms.api_key_sid, "SK");
  r.Pattern("sms.messaging_service_sid", cfg.sms.messaging_service_sid, "MG");
  if (!cfg.sms.api_key_sid.empty() && cfg.sms.api_key_secret.empty()) {
    r.Problem("sms.api_key_secret (ONBOARD_SMS_API_KEY_SECRET): required with sms.api_key_sid");
  }
  if (!cfg.sms.status_callback_url.empty() &&
      cfg.sms.status_callback_url.rfind("http://", 0) != 0 &&
      cfg.sms.status_callback_url.rfind("https://", 0) != 0) {
    r.Problem(
        "sms.status_callback_url (ONBOARD_SMS_STATUS_CALLBACK_URL): must be an absolute http(s) "
        "URL");
  }
  r.String("smtp.host", cfg.smtp.host);
  r.Int("smtp.port", cfg.smtp.port, 1, 65535);
  r.String("smtp.tls", cfg.smtp.tls);
  r.String("smtp.username", cfg.smtp.username);
  r.String("smtp.password", cfg.smtp.password);
  r.SecretFile("smtp.password_file", cfg.smtp.password);
  r.String("smtp.from", cfg.smtp.from);
  r.Int("smtp.timeout_ms", cfg.smtp.timeout_ms, 100, 600000);
  if (cfg.smtp.tls != "none" && cfg.smtp.tls != "starttls") {
    r.Problem("smtp.tls (ONBOARD_SMTP_TLS): expected none or starttls, got '" + cfg.smtp.tls + "'");
  }
  if (!cfg.smtp.host.empty() && cfg.smtp.from.find('@') == std::string::npos) {
    r.Problem("smtp.from (ONBOARD_SMTP_FROM): an e-mail address is required with smtp.host");
  }
  r.Int("courier.batch_size", cfg.courier.batch_size, 1, 1000);
  r.Int("courier.workers", cfg.courier.workers, 1, 64);
  r.Int("courier.poll_interval_ms", cfg.courier.poll_interval_ms, 10, 600000);
  r.Int("courier.lease_ms", cfg.courier.lease_ms, 1000, 3600000);
  r.Int("courier.retry_base_ms", cfg.courier.retry_base_ms, 10, 3600000);
  r.Int("courier.retry_max_ms", cfg.courier.retry_max_ms, 10, 86400000);
  r.Int("courier.deadline_minutes", cfg.courier.deadline_minutes, 1, 43200);
  if (cfg.courier.retry_max_ms < cfg.courier.retry_base_ms) {
    r.Problem(
        "courier.retry_max_ms (ONBOARD_COURIER_RETRY_MAX_MS): must not be below "
        "courier.retry_base_ms");
  }
  // A lease shorter than one send could let a second courier send while the first still waits.
  if (cfg.courier.lease_ms < 2 * (cfg.sms.timeout_ms + cfg.sms.connect_timeout_ms) ||
      cfg.courier.lease_ms < 2 * cfg.smtp.timeout_ms) {
    r.Problem(
        "courier.lease_ms (ONBOARD_COURIER_LEASE_MS): must be at least twice sms.timeout_ms + "
        "sms.connect_timeout_ms and twice smtp.timeout_ms");
  }
  // Notifications and webhooks (issue #18).
  {
    std::string days;
    r.String("notify.reminder_days", days);
    if (!days.empty()) {
      std::vector<int> parsed;
      std::string item;
      bool ok = true;
      for (std::size_t i = 0; i <= days.size(); ++i) {
        if (i == days.size() || days[i] == ',') {
          const auto b = item.find_first_not_of(" \t");
          const auto e = item.find_last_not_of(" \t");
          const std::string t = b == std::string::npos ? "" : item.substr(b, e - b + 1);
          int v = 0;
          if (t.empty() || !Poco::NumberParser::tryParse(t, v) || v < 1 || v > 400 ||
              std::find(parsed.begin(), parsed.end(), v) != parsed.end())
            ok = false;
          else
            parsed.push_back(v);
          item.clear();
        } else {
          item.push_back(days[i]);
        }
      }
      if (ok && !parsed.empty()) {
        std::sort(parsed.rbegin(), parsed.rend());
        cfg.notify.reminder_days = parsed;
      } else {
        r.Problem(
            "notify.reminder_days (ONBOARD_NOTIFY_REMINDER_DAYS): expected distinct whole days "
            "1-400 separated by commas, e.g. 60,30,14,7,1");
      }
    }
  }
  r.Int("notify.scheduler_interval_ms", cfg.notify.scheduler_interval_ms, 50, 86400000);
  r.Int("notify.dispatch_interval_ms", cfg.notify.dispatch_interval_ms, 20, 600000);
  r.String("notify.operator_email", cfg.notify.operator_email);
  r.Int("notify.digest_hour_utc", cfg.notify.digest_hour_utc, 0, 23);
  r.Int("notify.mail_deadline_minutes", cfg.notify.mail_deadline_minutes, 1, 43200);
  r.Bool("testing.clock_control", cfg.notify.test_clock_control);
  if (!cfg.notify.operator_email.empty() &&
      cfg.notify.operator_email.find('@') == std::string::npos) {
    r.Problem("notify.operator_email (ONBOARD_NOTIFY_OPERATOR_EMAIL): must be an e-mail address");
  }
  r.Bool("webhooks.allow_private_targets", cfg.webhooks.allow_private_targets);
  r.Bool("webhooks.allow_http", cfg.webhooks.allow_http);
  r.Int("webhooks.timeout_ms", cfg.webhooks.timeout_ms, 100, 10000);
  r.Int("webhooks.retry_base_ms", cfg.webhooks.retry_base_ms, 10, 3600000);
  r.Int("webhooks.retry_max_ms", cfg.webhooks.retry_max_ms, 10, 86400000);
  r.Int("webhooks.retry_hours", cfg.webhooks.retry_hours, 1, 168);
  r.Int("webhooks.disable_after_s", cfg.webhooks.disable_after_s, 1, 2592000);
  if (cfg.webhooks.retry_max_ms < cfg.webhooks.retry_base_ms) {
    r.Problem(
        "webhooks.retry_max_ms (ONBOARD_WEBHOOKS_RETRY_MAX_MS): must not be below "
        "webhooks.retry_base_ms");
  }
  r.String("log.level", cfg.log.level);
  r.Bool("log.access", cfg.log.access);
  r.String("instance.id", cfg.instance_id);
  r.String("audit.checkpoint_key_file", cfg.audit.checkpoint_key_file);
  r.Bool("audit.checkpoint_daily", cfg.audit.checkpoint_daily);
  r.Int("audit.retention_days", cfg.audit.retention_days, 0, 36500);
  r.Int("audit.maintenance_interval_s", cfg.audit.maintenance_interval_s, 1, 86400);
  r.Int("audit.refusal_flush_ms", cfg.audit.refusal_flush_ms, 50, 60000);
  if (cfg.audit.retention_days > 0 && cfg.audit.checkpoint_key_file.empty()) {
    r.Problem(
        "audit.retention_days (ONBOARD_AUDIT_RETENTION_DAYS): pruning needs "
        "audit.checkpoint_key_file, so the "
        "remaining chain starts from a signed checkpoint");
  }

  r.String("certificates.test_ca_file", cfg.certificates.test_ca_file);
  r.String("certificates.production_ca_file", cfg.certificates.production_ca_file);
  r.List("certificates.test_crl_files", cfg.certificates.test_crl_files);
  r.List("certificates.production_crl_files", cfg.certificates.production_crl_files);
  r.Bool("certificates.allow_ec", cfg.certificates.allow_ec);
  r.Int("provider.cache_ttl_ms", cfg.provider.cache_ttl_ms, 0, 600000);
  r.List("provider.assertion_algs", cfg.provider.assertion_algs);
  r.Int("provider.clock_skew_s", cfg.provider.clock_skew_s, 0, 60);
  r.Int("provider.replay_pool_size", cfg.provider.replay_pool_size, 1, 128);
  r.Bool("provider.replay_async_commit", cfg.provider.replay_async_commit);
  r.Int("provider.jti_purge_interval_s", cfg.provider.jti_purge_interval_s, 1, 86400);
  {
    static const std::vector<std::string> kAccepted = {"RS256", "RS384", "RS512", "PS256",
                                                       "PS384", "PS512", "ES256", "ES384"};
    if (cfg.provider.assertion_algs.empty()) {
      r.Problem(
          "provider.assertion_algs (ONBOARD_PROVIDER_ASSERTION_ALGS): must name at least one "
          "algorithm");
    }
    for (const auto& alg : cfg.provider.assertion_algs) {
      if (std::find(kAccepted.begin(), kAccepted.end(), alg) == kAccepted.end()) {
        r.Problem("provider.assertion_algs (ONBOARD_PROVIDER_ASSERTION_ALGS): '" + alg +
                  "' is not accepted; choose from RS256, RS384, RS512, PS256, PS384, PS512, ES256, "
                  "ES384");
      }
    }
  }

  // JWT access tokens (issue #17): several issuers, each under access_tokens.<name>.*.
  r.Bool("auth.portal_header_trust", cfg.auth.portal_header_trust);
  r.Int("access_tokens.clock_skew_s", cfg.access_tokens.clock_skew_s, 0, 300);
  r.Int("access_tokens.jwks_refresh_s", cfg.access_tokens.jwks_refresh_s, 1, 86400);
  r.Int("access_tokens.jwks_min_interval_s", cfg.access_tokens.jwks_min_interval_s, 1, 3600);
  r.Int("access_tokens.jwks_max_age_s", cfg.access_tokens.jwks_max_age_s, 1, 7 * 86400);
  r.Int("access_tokens.jwks_timeout_ms", cfg.access_tokens.jwks_timeout_ms, 100, 60000);
  {
    std::vector<std::string> names;
    r.List("access_tokens.issuers", names);
    for (const auto& name : names) {
      const std::string base = "access_tokens." + name + ".";
      const std::string where = "access_tokens.issuers (ONBOARD_ACCESS_TOKENS_ISSUERS): '" + name;
      if (name.empty() || name.size() > 40 || !std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
          })) {
        r.Problem(where + "' must be lower-case letters and digits");
        continue;
      }
      AccessTokenIssuerConfig i;
      i.name = name;
      r.String(base + "issuer", i.issuer);
      r.String(base + "jwks_uri", i.jwks_uri);
      r.String(base + "jwks_file", i.jwks_file);
      r.List(base + "audience", i.audiences);
      r.List(base + "algs", i.algs);
      const std::string key = base;
      const std::string env = EnvNameFor(base);
      if (i.issuer.empty()) r.Problem(key + "issuer (" + env + "ISSUER): required");
      if (i.jwks_uri.empty() == i.jwks_file.empty())
        r.Problem(key + "jwks_uri / " + key + "jwks_file: set exactly one");
      if (!i.jwks_uri.empty() && i.jwks_uri.rfind("https://", 0) != 0 &&
          i.jwks_uri.rfind("http://127.0.0.1", 0) != 0 &&
          i.jwks_uri.rfind("http://[::1]", 0) != 0 && i.jwks_uri.rfind("http://localhost", 0) != 0)
        r.Problem(key + "jwks_uri (" + env + "JWKS_URI): must be https (http only on loopback)");
      if (i.audiences.empty())
        r.Problem(key + "audience (" + env + "AUDIENCE): name at least one accepted aud");
      if (i.algs.empty()) r.Problem(key + "algs (" + env + "ALGS): name at least one algorithm");
      for (const auto& alg : i.algs) {
        if (alg != "RS256" && alg != "PS256" && alg != "ES256")
          r.Problem(key + "algs (" + env + "ALGS): '" + alg +
                    "' is not accepted; choose from RS256, PS256, ES256");
      }
      cfg.access_tokens.issuers.push_back(std::move(i));
    }
  }

  // Operators' OpenID Connect sign-in (issue #17).
  {
    OidcConfig& o = cfg.oidc;
    r.String("oidc.issuer", o.issuer);
    r.String("oidc.provider_name", o.provider_name);
    r.String("oidc.client_id", o.client_id);
    r.String("oidc.client_auth_method", o.client_auth_method);
    r.String("oidc.client_secret", o.client_secret);
    r.SecretFile("oidc.client_secret_file", o.client_secret);
    r.SecretFile("oidc.private_key_file", o.private_key_pem);
    r.String("oidc.private_key_kid", o.private_key_kid);
    r.String("oidc.redirect_uri", o.redirect_uri);
    r.List("oidc.scopes", o.scopes);
    r.String("oidc.role_claim", o.role_claim);
    r.List("oidc.operator_values", o.operator_values);
    r.List("oidc.auditor_values", o.auditor_values);
    r.String("oidc.display_name_claim", o.display_name_claim);
    r.List("oidc.algs", o.algs);
    r.Int("oidc.clock_skew_s", o.clock_skew_s, 0, 300);
    r.Int("oidc.flow_ttl_s", o.flow_ttl_s, 60, 3600);
    r.String("oidc.after_sign_in_path", o.after_sign_in_path);
    r.String("oidc.post_logout_redirect_uri", o.post_logout_redirect_uri);
    r.Int("oidc.discovery_refresh_s", o.discovery_refresh_s, 1, 86400);
    r.Int("oidc.timeout_ms", o.timeout_ms, 100, 60000);
    const auto https_or_loopback = [](const std::string& url) {
      return url.rfind("https://", 0) == 0 || url.rfind("http://127.0.0.1", 0) == 0 ||
             url.rfind("http://[::1]", 0) == 0 || url.rfind("http://localhost", 0) == 0;
    };
    if (o.enabled()) {
      if (!https_or_loopback(o.issuer))
        r.Problem("oidc.issuer (ONBOARD_OIDC_ISSUER): must be https (http only on loopback)");
      if (o.client_id.empty()) r.Problem("oidc.client_id (ONBOARD_OIDC_CLIENT_ID): required");
      if (o.client_auth_method == "client_secret_basic") {
        if (o.client_secret.empty())
          r.Problem(
              "oidc.client_secret_file (ONBOARD_OIDC_CLIENT_SECRET_FILE) or oidc.client_secret: "
              "required with client_secret_basic");
      } else if (o.client_auth_method == "private_key_jwt") {
        if (o.private_key_pem.empty())
          r.Problem(
              "oidc.private_key_file (ONBOARD_OIDC_PRIVATE_KEY_FILE): required with "
              "private_key_jwt");
      } else {
        r.Problem(
            "oidc.client_auth_method (ONBOARD_OIDC_CLIENT_AUTH_METHOD): must be "
            "client_secret_basic or private_key_jwt");
      }
      if (o.redirect_uri.empty() && !cfg.http.public_base_url.empty()) {
        std::string base = cfg.http.public_base_url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        o.redirect_uri = base + "/v1/sessions/oidc/callback";
      }
      if (o.redirect_uri.empty())
        r.Problem(
            "oidc.redirect_uri (ONBOARD_OIDC_REDIRECT_URI): required when http.public_base_url "
            "is not set");
      if (std::find(o.scopes.begin(), o.scopes.end(), "openid") == o.scopes.end())
        r.Problem("oidc.scopes (ONBOARD_OIDC_SCOPES): must contain openid");
      if (o.operator_values.empty() && o.auditor_values.empty())
        r.Problem(
            "oidc.operator_values / oidc.auditor_values (ONBOARD_OIDC_OPERATOR_VALUES): name at "
            "least one value of oidc.role_claim that grants a role");
      if (o.role_claim.empty()) r.Problem("oidc.role_claim (ONBOARD_OIDC_ROLE_CLAIM): required");
      for (const auto& alg : o.algs) {
        if (alg != "RS256" && alg != "ES256")
          r.Problem("oidc.algs (ONBOARD_OIDC_ALGS): '" + alg +
                    "' is not accepted; choose from RS256, ES256");
      }
      if (o.algs.empty()) r.Problem("oidc.algs (ONBOARD_OIDC_ALGS): name at least one");
      if (o.after_sign_in_path.empty() || o.after_sign_in_path[0] != '/' ||
          o.after_sign_in_path.rfind("//", 0) == 0)
        r.Problem("oidc.after_sign_in_path (ONBOARD_OIDC_AFTER_SIGN_IN_PATH): must be a path");
    }
    r.List("session.sign_in_methods", cfg.session.sign_in_methods);
    if (cfg.session.sign_in_methods.empty())
      cfg.session.sign_in_methods = {o.enabled() ? "oidc" : "token"};
    for (const auto& m : cfg.session.sign_in_methods) {
      if (m != "token" && m != "oidc")
        r.Problem("session.sign_in_methods (ONBOARD_SESSION_SIGN_IN_METHODS): '" + m +
                  "' is not a method; choose from token, oidc");
      if (m == "oidc" && !o.enabled())
        r.Problem(
            "session.sign_in_methods (ONBOARD_SESSION_SIGN_IN_METHODS): oidc needs oidc.issuer");
    }
  }

  if (cfg.database.url.empty()) {
    r.Problem(
        "database.url (ONBOARD_DATABASE_URL): required, e.g. "
        "postgresql://onboard@127.0.0.1:5432/onboard");
  } else if (cfg.database.url.rfind("postgresql://", 0) != 0 &&
             cfg.database.url.rfind("postgres://", 0) != 0 &&
             cfg.database.url.find('=') == std::string::npos) {
    r.Problem(
        "database.url (ONBOARD_DATABASE_URL): expected a postgresql:// URI or a key=value "
        "connection string");
  }
  if (cfg.http.host.empty()) r.Problem("http.host (ONBOARD_HTTP_HOST): must not be empty");
  if (cfg.log.level != "debug" && cfg.log.level != "info" && cfg.log.level != "warn" &&
      cfg.log.level != "error") {
    r.Problem("log.level (ONBOARD_LOG_LEVEL): expected debug, info, warn or error, got '" +
              cfg.log.level + "'");
  }
  r.RejectUnknownFileKeys();
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
    if (eq != std::string::npos && entry.rfind("ONBOARD_", 0) == 0)
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace onboard
