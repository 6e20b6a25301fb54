#pragma once

// Shared fixtures for the integration and end-to-end tests: the admin URL, throwaway
// databases, the onboard-api process, an HTTP client, a TCP proxy that can play "the
// database went away", API tokens and small database helpers.

#include <sys/types.h>

#include <Poco/JSON/Object.h>
#include <Poco/Net/NameValueCollection.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit_store.hpp"
#include "pg.hpp"
#include "roles.hpp"

namespace onboard::db {
class Pool;
}

namespace onboard::testsupport {

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------
// Environment

/// ONBOARD_TEST_ADMIN_URL (a libpq URI or key=value string of a role that may CREATE
/// DATABASE). When it is missing the current test FAILS (ADD_FAILURE) and this throws:
/// a missing database is never a reason to skip.
std::string RequireAdminUrl();

/// Path of the onboard-api binary from ONBOARD_API_BIN (set per test by CMake); fails
/// the test and throws when missing.
std::string RequireApiBinary();

/// A libpq URI equal to `url` but naming database `dbname` and, when given, another
/// host and port (used to route a service through TcpProxy).
std::string WithDatabase(
    const std::string& url, const std::string& dbname,
    const std::optional<std::pair<std::string, int>>& host_port = std::nullopt);

/// Host and port named by a libpq URL (defaults: 127.0.0.1 and 5432).
std::pair<std::string, int> HostPortOf(const std::string& url);

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns the
/// last result. For conditions that have no event to wait on (a file, a process exit).
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval = 10ms);

/// Prints how long a fixture phase took to stderr when ONBOARD_TEST_TIMING is set (for
/// keeping the suite fast).
class PhaseTimer {
 public:
  explicit PhaseTimer(const char* what);
  ~PhaseTimer();
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  const char* what_;
  std::chrono::steady_clock::time_point started_;
};

/// The n-th valid Norwegian organisation number (mod-11) counting from `base`
/// (an eight-digit prefix); deterministic.
std::string ValidOrgno(int n, int base = 91000000);

// ---------------------------------------------------------------------------------------
// Databases

/// Opens a connection (5 s connect timeout); throws AppError(kUnavailable) on failure.
std::unique_ptr<db::Connection> Connect(const std::string& url);

/// Runs one SQL text (simple protocol) on a fresh connection.
void ExecSql(const std::string& url, const std::string& sql);

/// First column of the first row of `sql` (empty optional for no row or NULL).
std::optional<std::string> QueryScalar(const std::string& url, const std::string& sql);
int64_t QueryInt(const std::string& url, const std::string& sql);

/// A uniquely named database (`onboard_t_<random>`) created through the admin URL, the
/// embedded migrations applied (unless `migrate` is false), dropped WITH (FORCE) when
/// destroyed.
class TempDatabase {
 public:
  explicit TempDatabase(bool migrate = true);
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// URL of this database (same role and server as the admin URL).
  const std::string& url() const noexcept { return url_; }
  const std::string& admin_url() const noexcept { return admin_url_; }
  std::unique_ptr<db::Connection> Connect() const { return testsupport::Connect(url_); }

  int64_t AuditCount() const;
  db::ChainVerification VerifyAudit() const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// ---------------------------------------------------------------------------------------
// Tokens

struct TestToken {
  std::string id;
  std::string name;
  domain::Role role = domain::Role::kOperator;
  std::string secret;  ///< "onb_..."
};

/// Creates a token directly through db::TokenRepository (writes one audit event).
TestToken CreateToken(const std::string& db_url, domain::Role role, std::string name = {},
                      std::optional<int> expires_in_days = std::nullopt);
/// The same on an existing pool (several tokens on one connection).
TestToken CreateToken(db::Pool& pool, domain::Role role, std::string name = {},
                      std::optional<int> expires_in_days = std::nullopt);

// ---------------------------------------------------------------------------------------
// Processes

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `onboard-api <args...>` to completion with the given ONBOARD_* environment (the
/// test's own ONBOARD_* variables are not passed on). Fails the test on a timeout.
CliResult RunCli(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env,
                 std::chrono::milliseconds timeout = 20s);

/// The server-side pepper every test service runs with (serve requires one).
inline constexpr const char* kTestPepper = "onboard-test-pepper-0123456789abcdef0123456789";
/// The key ring (secrets.kek) every test service runs with (serve requires one): current
/// key `test-k2`, older key `test-k1` still opens.
inline constexpr const char* kTestKek =
    "test-k2:5c1f0e9a7b3d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6,"
    "test-k1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// The real onboard-api running `serve` on 127.0.0.1 port 0 against `database_url`.
/// stdout and stderr go to one file (log()). The constructor waits for the port file and
/// for GET /healthz; it throws (after ADD_FAILURE) when the process does not come up.
class ApiProcess {
 public:
  explicit ApiProcess(const std::string& database_url,
                      const std::map<std::string, std::string>& extra_env = {});
  ~ApiProcess();
  ApiProcess(const ApiProcess&) = delete;
  ApiProcess& operator=(const ApiProcess&) = delete;

  int port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }
  bool running();

  /// SIGTERM, then waits up to `timeout`; returns the exit code (128+signal when killed by
  /// a signal), or nullopt when it did not exit in time (it is then SIGKILLed).
  std::optional<int> Terminate(std::chrono::milliseconds timeout = 10s);
  /// SIGKILL and reap.
  void Kill();

  /// Everything the process wrote so far (stdout and stderr).
  std::string log() const;
  /// The lines of log() that are JSON objects.
  std::vector<Poco::JSON::Object::Ptr> LogObjects() const;
  /// Access-log lines (msg == "access").
  std::vector<Poco::JSON::Object::Ptr> AccessLog() const;

 private:
  std::optional<int> Reap(std::chrono::milliseconds timeout);

  std::string dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::optional<int> exit_code_;
};

// ---------------------------------------------------------------------------------------
// HTTP

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  Poco::Net::NameValueCollection headers;  ///< case-insensitive names
  std::string body;
  std::string content_type;
  Poco::JSON::Object::Ptr json;  ///< the body when it is a JSON object
  Poco::Dynamic::Var parsed;     ///< the body when it is any JSON value

  std::string Header(const std::string& name) const { return headers.get(name, ""); }
  bool HasHeader(const std::string& name) const { return headers.has(name); }
  /// Short text for assertion messages.
  std::string Describe() const;
};

/// Tiny blocking HTTP/1.1 client over Poco::Net::HTTPClientSession; one connection per
/// request. Thread-safe (no shared state).
class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1")
      : host_(std::move(host)), port_(port) {}

  /// `body` nullopt sends no body and no Content-Type; otherwise Content-Length is set and
  /// Content-Type is `content_type` unless a Content-Type header is given.
  HttpResponse Request(const std::string& method, const std::string& path,
                       const Headers& headers = {},
                       const std::optional<std::string>& body = std::nullopt,
                       const std::string& content_type = "application/json") const;
  HttpResponse Get(const std::string& path, const Headers& headers = {}) const {
    return Request("GET", path, headers);
  }
  HttpResponse Post(const std::string& path, const std::string& body,
                    const Headers& headers = {}) const {
    return Request("POST", path, headers, body);
  }
  HttpResponse Delete(const std::string& path, const Headers& headers = {}) const {
    return Request("DELETE", path, headers);
  }

  /// Writes `raw` bytes to a new connection and reads one response (status line, headers,
  /// a Content-Length body) or whatever arrives until the server closes.
  HttpResponse Raw(const std::string& raw, std::chrono::milliseconds timeout = 10s) const;

  int port() const noexcept { return port_; }

 private:
  std::string host_;
  int port_;
};

/// Authorization header for a token.
Headers Bearer(const std::string& secret, Headers more = {});

/// Fills status/headers/body/json of a response from raw parts.
void ParseBody(HttpResponse& r);

// ---------------------------------------------------------------------------------------
// TCP proxy

/// Loopback TCP proxy (127.0.0.1:<port> -> target). Stop() closes the listener and every
/// proxied connection, so new connections are refused; Start() listens on the same port
/// again. Lets a test take "the database" away from one service without touching the
/// shared cluster.
class TcpProxy {
 public:
  TcpProxy(std::string target_host, int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const noexcept { return port_; }
  void Stop();
  void Start();
  bool started() const noexcept { return thread_.joinable(); }
  /// Connections accepted since construction.
  int accepted() const noexcept { return accepted_.load(); }

 private:
  void Listen();
  void Loop();

  std::string target_host_;
  int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace onboard::testsupport
