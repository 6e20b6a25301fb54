#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "kek.hpp"

namespace onboard {

/// Thrown when configuration is invalid; `problems()` holds one message per bad key.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// 4 request workers per core, at least 8.
int DefaultHttpWorkers() noexcept;

struct HttpConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string port_file;  ///< when set, the bound port is written here (tests use port 0)
  /// Request workers: 4 per core, at least 16 (an idle keep-alive connection holds none;
  /// a worker waits on the database during a request, hence more than one per core; up
  /// to this many connections each keeps a worker between requests while it is free,
  /// see keep_while_free_ms, and 16 covers a client's usual connection pool).
  int max_threads = DefaultHttpWorkers();
  /// New connections are answered 503 + Retry-After at once while this many connections
  /// with a readable request wait for a worker.
  int max_queued = 1024;
  /// ... or while this many connections are open (served, waiting or parked idle).
  int max_connections = 16384;
  /// A free worker keeps the connection it has just answered this long for its next
  /// request (given up at once when another connection waits for a worker); 0: parked
  /// straight away.
  int keep_while_free_ms = 20;
  int max_body_bytes = 1 << 20;
  bool keep_alive = true;
  int keep_alive_timeout_s = 10;
  int request_timeout_s = 30;
  int header_timeout_s = 10;
  int shutdown_grace_s = 10;
  /// Absolute base URL callers use to reach this service (for registration_client_uri);
  /// empty: derived from the request's Host header.
  std::string public_base_url;
};

struct DatabaseConfig {
  std::string url;  ///< libpq connection URI; never logged with its password
  int pool_size = 16;
  int acquire_timeout_ms = 2000;
  int connect_timeout_s = 3;
  int retry_after_s = 2;  ///< Retry-After sent with 503 while the database is down
  bool migrate_on_start = true;
};

struct AuthConfig {
  int token_cache_ttl_ms = 2000;  ///< how long a verified token stays cached in memory
  /// UNSAFE, for compatibility: a portal token bound to no organisation acts for the
  /// organisation its X-Onboard-Org header names (one leaked token reaches every
  /// organisation). false: such tokens are refused; bind them or use access tokens.
  bool portal_header_trust = true;
};

/// One issuer of JWT access tokens (for example Maskinporten) the API trusts.
struct AccessTokenIssuerConfig {
  std::string name;                    ///< the name in access_tokens.issuers, used in keys and logs
  std::string issuer;                  ///< exact `iss`
  std::string jwks_uri;                ///< https (or http on loopback); or
  std::string jwks_file;               ///< a JWK Set file read on every refresh
  std::vector<std::string> audiences;  ///< accepted `aud` values (at least one)
  std::vector<std::string> algs = {"RS256", "PS256", "ES256"};
};

struct AccessTokensConfig {
  std::vector<AccessTokenIssuerConfig> issuers;
  int clock_skew_s = 30;         ///< exp, nbf, iat
  int jwks_refresh_s = 300;      ///< keys older than this are fetched again
  int jwks_min_interval_s = 30;  ///< at most one fetch per issuer per this (unknown kid too)
  int jwks_max_age_s = 3600;     ///< cached keys older than this are not used (503)
  int jwks_timeout_ms = 3000;    ///< one fetch, connect included
};

/// Console sessions (issue #16): `session.*`.
struct SessionConfig {
  int idle_timeout_s = 1800;       ///< a session unused this long ends (60..86400)
  int absolute_timeout_s = 43200;  ///< a session ends this long after sign-in (300..604800)
  /// `auto`: a `__Host-` cookie with Secure unless http.public_base_url is plain http on a
  /// host other than loopback (then `onboard_session` without Secure); `always`; `never`.
  std::string cookie_secure = "auto";
  /// Sign-in methods the console offers and the API accepts: `token` (a personal token),
  /// `oidc` (single sign-on). Default: oidc when oidc.issuer is set, token otherwise.
  std::vector<std::string> sign_in_methods;
};

/// Operators' OpenID Connect sign-in (issue #17): `oidc.*`. Off while `issuer` is empty.
struct OidcConfig {
  std::string issuer;  ///< exact issuer; discovery at <issuer>/.well-known/openid-configuration
  std::string provider_name = "single sign-on";  ///< the console's "Sign in with <name>"
  std::string client_id;
  /// client_secret_basic or private_key_jwt.
  std::string client_auth_method = "client_secret_basic";
  /// `oidc.client_secret` or a 0600 file named by `oidc.client_secret_file`. Never logged.
  std::string client_secret;
  /// private_key_jwt: the PEM private key (RSA -> RS256, EC P-256 -> ES256) from the 0600
  /// file `oidc.private_key_file`, and the kid its JWK has at the provider.
  std::string private_key_pem;
  std::string private_key_kid;
  std::string redirect_uri;  ///< default: http.public_base_url + /v1/sessions/oidc/callback
  std::vector<std::string> scopes = {"openid", "profile"};
  std::string role_claim = "groups";
  std::vector<std::string> operator_values;
  std::vector<std::string> auditor_values;
  std::string display_name_claim = "name";
  std::vector<std::string> algs = {"RS256", "ES256"};
  int clock_skew_s = 30;
  int flow_ttl_s = 600;  ///< a sign-in must come back from the provider within this
  std::string after_sign_in_path = "/console/";  ///< where the browser goes when no return_to
  std::string post_logout_redirect_uri;          ///< sent with RP-initiated logout when set
  int discovery_refresh_s = 3600;
  int timeout_ms = 3000;  ///< one request to the provider, connect included

  bool enabled() const noexcept { return !issuer.empty(); }
};

/// The operator console (issue #16): the directory holding its built files (index.html,
/// assets/), served under /console/; empty: not served (404). ops/run points it at the
/// build tree's console/dist, the Debian package at /usr/share/onboard/console.
struct ConsoleConfig {
  std::string dir;
};

struct SecretsConfig {
  /// Server-side key of the HMAC that client secrets are stored under. From
  /// `secrets.pepper` (ONBOARD_SECRETS_PEPPER) or a file named by `secrets.pepper_file`
  /// that only its owner may read (0600). At least 32 characters.
  std::string pepper;
  int lifetime_days = 360;  ///< 1..360 (DOMAIN.md: at most 360 days)
  /// Key-encryption keys sealing pending deliveries (stored zips, outbox payloads). From
  /// `secrets.kek` (ONBOARD_SECRETS_KEK) or `secrets.kek_file` (mode 0600): entries
  /// `<kek_id>:<64 hex>` separated by commas or newlines; the first seals, all open.
  std::vector<crypto::Kek> keks;
  /// After a rotation the previous secret stays valid this many days (0: ends at once).
  int grace_days = 7;
  /// At most this many older secrets of a client stay valid next to the newest; the
  /// oldest beyond it expire at rotation.
  int max_old = 5;
};

/// One accepted mobile number prefix: `+47` followed by min..max digits.
struct MobilePrefix {
  std::string prefix;  ///< "+" and the country code
  int min_digits = 8;
  int max_digits = 8;
};

struct DeliveryConfig {
  /// Days an unfetched download package is kept before it is destroyed.
  int package_ttl_days = 14;
  /// How often (seconds) the API destroys expired packages.
  int sweep_interval_s = 60;
  /// `delivery.mobile_prefixes`: comma-separated `+CC` or `+CC:N` or `+CC:MIN-MAX` (digits
  /// after the prefix); `+47` alone means exactly 8 digits, other bare prefixes 4-12.
  std::vector<MobilePrefix> mobile_prefixes{{"+47", 8, 8}};
};

/// Where a client of one environment of the login service is configured against.
struct EnvironmentEndpoints {
  std::string issuer;
  std::string well_known_url;  ///< default issuer + "/.well-known/openid-configuration"
  std::string token_endpoint;  ///< default issuer + "/token"
};

struct EnvironmentsConfig {
  EnvironmentEndpoints test{"https://test.idporten.no", "", ""};
  EnvironmentEndpoints production{"https://idporten.no", "", ""};
  /// The endpoints of "test" or "production"; throws AppError(kInternal) otherwise.
  const EnvironmentEndpoints& For(const std::string& environment) const;
};

struct ClientsConfig {
  /// JSON file `{"idporten": ["openid", ...], ...}` listing the scopes each integration
  /// type may register; empty: the built-in catalogue (services/api/domain/scope_catalogue.cpp).
  std::string scope_catalogue_file;
};

struct OrdersConfig {
  /// The operator who approves a production order must differ from the one who entered it.
  bool four_eyes = true;
};

struct VerificationConfig {
  /// How old the latest complete verification run of a test client may be for the client
  /// to count as ready for production. 1..3650.
  int max_age_days = 90;
};

struct CertificatesConfig {
  /// PEM bundle of the CAs whose enterprise certificates are accepted for clients in each
  /// environment (separate: test roots are never trusted for production, nor the reverse).
  /// Empty: certificates cannot be bound in that environment.
  std::string test_ca_file;
  std::string production_ca_file;
  /// PEM CRL files checked for certificates of the CAs that issued them.
  std::vector<std::string> test_crl_files;
  std::vector<std::string> production_crl_files;
  bool allow_ec = false;  ///< also accept EC P-256/P-384 certificate keys
};

struct ProviderConfig {
  int cache_ttl_ms = 2000;  ///< how long a client's runtime snapshot is served from memory
  /// Accepted client-assertion algorithms: RS256/384/512, optionally PS256/384/512, ES256/384.
  std::vector<std::string> assertion_algs = {"RS256", "RS384", "RS512"};
  int clock_skew_s = 10;
  int replay_pool_size = 2;         ///< connections reserved for the jti replay store
  bool replay_async_commit = true;  ///< jti inserts commit with synchronous_commit=off
  int jti_purge_interval_s = 60;    ///< how often expired jtis are deleted
};

struct AuditConfig {
  /// PEM private key (Ed25519 or RSA >= 2048 bits, file mode 0600) that signs
  /// checkpoints; empty: no checkpoints are written.
  std::string checkpoint_key_file;
  /// Write one checkpoint a day (UTC) when a key is configured.
  bool checkpoint_daily = true;
  /// Keep events this many days; 0 keeps them forever. Needs a checkpoint key.
  int retention_days = 0;
  /// How often the daily checkpoint and retention are looked at.
  int maintenance_interval_s = 60;
  /// How often counts of refused requests are written to the database.
  int refusal_flush_ms = 1000;
};

struct LogConfig {
  std::string level = "info";
  bool access = true;
};

/// The Twilio-compatible SMS API the courier sends zip passwords through (issue #5). The API
/// process reads `auth_token` and `status_callback_url` to verify status callbacks.
struct SmsConfig {
  std::string base_url = "https://api.twilio.com";  ///< no trailing slash
  std::string account_sid;                          ///< AC + 32 hex; the account in the URL
  /// Basic-auth password with account_sid, and the key of the callbacks' HMAC. From
  /// `sms.auth_token` or a 0600 file named by `sms.auth_token_file`. Never logged.
  std::string auth_token;
  std::string api_key_sid;     ///< SK + 32 hex: when set, Basic auth uses the key pair instead
  std::string api_key_secret;  ///< `sms.api_key_secret` or 0600 `sms.api_key_secret_file`
  std::string from;            ///< sender (E.164 or alphanumeric ID), or
  std::string messaging_service_sid;  ///< MG + 32 hex (one of the two is needed to send)
  /// Absolute URL the provider posts status reports to (`POST /v1/callbacks/sms` of the
  /// API as the provider reaches it); the signature is checked against this URL.
  std::string status_callback_url;
  int timeout_ms = 10000;         ///< whole request, after which the outcome is unknown
  int connect_timeout_ms = 3000;  ///< TCP/TLS connect (a refused connect was never sent)
};

/// The SMTP relay the courier sends packages through.
struct SmtpConfig {
  std::string host;  ///< empty: no SMTP (e-mail rows wait)
  int port = 25;
  std::string tls = "none";  ///< none | starttls
  std::string username;      ///< empty: no AUTH
  std::string password;      ///< `smtp.password` or 0600 `smtp.password_file`; never logged
  std::string from;          ///< envelope and header sender address
  int timeout_ms = 10000;
};

/// onboard-courier: how it claims and retries outbox rows.
struct CourierConfig {
  int batch_size = 10;          ///< rows claimed per round
  int workers = 2;              ///< claiming loops in one process
  int poll_interval_ms = 1000;  ///< sleep when nothing was due
  int lease_ms = 60000;         ///< a claimed row is another courier's after this
  int retry_base_ms = 2000;     ///< first backoff; doubles per attempt, with jitter
  int retry_max_ms = 300000;    ///< backoff cap
  int deadline_minutes = 1440;  ///< how long a new outbox row may be retried (deadline_at)
};

/// Notifications (issue #18): expiry reminders, the operator digest, the event dispatcher.
struct NotifyConfig {
  /// Days before expiry a reminder goes out (`notify.reminder_days`, comma-separated).
  std::vector<int> reminder_days{60, 30, 14, 7, 1};
  int scheduler_interval_ms = 60000;  ///< how often reminders and the digest are looked at
  int dispatch_interval_ms = 500;     ///< how often the audit chain is read for new events
  std::string operator_email;         ///< the operator team's address (digest); empty: none
  int digest_hour_utc = 6;            ///< the digest of a day goes out from this hour on
  int mail_deadline_minutes = 1440;   ///< how long a notification e-mail or SMS is retried
  /// Test-only: `PUT /v1/testing/clock` may shift the notifications' clock. Never in
  /// production.
  bool test_clock_control = false;
};

/// Webhook deliveries (issue #18), read by the API (target checks) and the courier.
struct WebhooksConfig {
  bool allow_private_targets = false;  ///< loopback/private/link-local targets (tests only)
  bool allow_http = false;             ///< plain http targets (tests only): https otherwise
  int timeout_ms = 10000;              ///< whole request
  int retry_base_ms = 5000;            ///< first backoff; doubles per attempt, with jitter
  int retry_max_ms = 3600000;          ///< backoff cap
  int retry_hours = 24;                ///< how long a delivery is retried
  int disable_after_s = 259200;        ///< failing this long (3 days) disables a subscription
};

/// The one typed configuration, loaded once at start-up.
struct AppConfig {
  HttpConfig http;
  DatabaseConfig database;
  AuthConfig auth;
  SessionConfig session;
  ConsoleConfig console;
  AccessTokensConfig access_tokens;
  OidcConfig oidc;
  SecretsConfig secrets;
  OrdersConfig orders;
  ClientsConfig clients;
  VerificationConfig verification;
  LogConfig log;
  DeliveryConfig delivery;
  EnvironmentsConfig environments;
  CertificatesConfig certificates;
  ProviderConfig provider;
  SmsConfig sms;
  SmtpConfig smtp;
  CourierConfig courier;
  AuditConfig audit;
  NotifyConfig notify;
  WebhooksConfig webhooks;
  std::string instance_id;  ///< defaults to host name + pid
};

/// Name of the environment variable overriding `key`: `ONBOARD_` + upper-case key with
/// '.' replaced by '_' (`database.url` -> `ONBOARD_DATABASE_URL`).
std::string EnvNameFor(const std::string& key);

/// Loads the configuration from `file` (may be empty) with environment overrides from
/// `env`, validates every key and throws ConfigError listing every problem.
AppConfig LoadConfig(const Poco::Util::AbstractConfiguration* file,
                     const std::map<std::string, std::string>& env);

/// The process environment as a map (for LoadConfig).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace onboard
