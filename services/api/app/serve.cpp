#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/ServerApplication.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <fstream>
#include <iostream>
#include <thread>

#include "audit_log_repository.hpp"
#include "audit_maintenance.hpp"
#include "authenticator.hpp"
#include "client_repository.hpp"
#include "commands.hpp"
#include "config_loader.hpp"
#include "error.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "migrator.hpp"
#include "onboarding_repository.hpp"
#include "organisation_repository.hpp"
#include "pool.hpp"
#include "production_order_repository.hpp"
#include "router.hpp"
#include "secret_repository.hpp"
#include "server.hpp"
#include "signer.hpp"
#include "support_repository.hpp"
#include "terms_repository.hpp"
#include "test_user_repository.hpp"
#include "token_repository.hpp"
#include "verification_repository.hpp"

namespace onboard::app {

namespace {

void WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    Poco::FileOutputStream out(tmp);
    out << port << "\n";
  }
  Poco::File(tmp).renameTo(path);
}

// The configured scope catalogue, or the built-in one when none is configured. Throws
// ConfigError naming every problem in the file.
domain::ScopeCatalogue LoadScopeCatalogue(const std::string& path) {
  if (path.empty()) return domain::ScopeCatalogue::Default();
  std::ifstream in(path);
  if (!in) throw ConfigError({"clients.scope_catalogue_file: cannot read " + path});
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
    return domain::ScopeCatalogue::FromJson(*obj);
  } catch (const AppError& e) {
    std::vector<std::string> problems;
    for (const auto& fe : e.field_errors()) {
      problems.push_back("clients.scope_catalogue_file: " + fe.path + ": " + fe.message);
    }
    if (problems.empty()) problems.push_back("clients.scope_catalogue_file: " + e.detail());
    throw ConfigError(problems);
  } catch (const Poco::Exception& e) {
    throw ConfigError({"clients.scope_catalogue_file: " + path + " is not a JSON object: " + e.displayText()});
  }
}

// Destroys download packages nobody fetched in time (delivery.package_ttl_days), every
// `interval_s`; the download itself also checks expiry, so the sweep only bounds how long
// an expired package stays stored. Any number of instances may sweep (SKIP LOCKED).
class PackageSweeper {
 public:
  PackageSweeper(domain::SecretStore& store, int interval_s)
      : store_(store), interval_(interval_s), thread_([this] { Run(); }) {}
  PackageSweeper(const PackageSweeper&) = delete;
  PackageSweeper& operator=(const PackageSweeper&) = delete;
  ~PackageSweeper() { Stop(); }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      try {
        int swept = 0;
        do {
          swept = store_.SweepExpiredPackages(100);
          if (swept > 0) {
            Poco::JSON::Object f;
            f.set("destroyed", swept);
            log::Info("expired delivery packages destroyed", f);
          }
        } while (swept == 100);
      } catch (const AppError& e) {
        Poco::JSON::Object f;
        f.set("error", e.internal().empty() ? e.detail() : e.internal());
        log::Warn("package sweep failed; retrying at the next interval", f);
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(interval_), [this] { return stop_; });
    }
  }

  domain::SecretStore& store_;
  const int interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

class OnboardServer : public Poco::Util::ServerApplication {
 public:
  OnboardServer(AppConfig config, domain::ScopeCatalogue scopes, std::optional<crypto::Signer> signer)
      : config_(std::move(config)), scopes_(std::move(scopes)), signer_(std::move(signer)) {}

 protected:
  int main(const std::vector<std::string>&) override {
    const auto started = std::chrono::steady_clock::now();
    db::Pool pool(config_.database.url, config_.database.pool_size, config_.database.acquire_timeout_ms,
                  config_.database.connect_timeout_s);
    if (config_.database.migrate_on_start) {
      try {
        db::Lease lease = pool.Acquire();
        db::Migrate(*lease);
      } catch (const AppError& e) {
        Poco::JSON::Object f;
        f.set("error", e.internal().empty() ? e.detail() : e.internal());
        f.set("database", db::RedactUrl(config_.database.url));
        log::Error("start-up migration failed", f);
        return EXIT_UNAVAILABLE;
      }
    }
    db::OrganisationRepository organisations(pool);
    db::TokenRepository tokens(pool);
    db::ClientRepository clients(pool);
    db::OnboardingRepository onboardings(pool);
    db::TermsRepository terms(pool);
    db::ProductionOrderRepository orders(pool);
    db::SupportRepository support(pool);
    db::VerificationRepository verifications(pool);
    db::TestUserRepository test_users(pool);
    const domain::ScopeCatalogue& scopes = scopes_;
    http::Metrics metrics;
    http::Authenticator auth(tokens, std::chrono::milliseconds(config_.auth.token_cache_ttl_ms));
    const crypto::KeyRing keys(config_.secrets.keks);
    db::SecretRepository secrets(pool, keys);
    db::AuditLogRepository audit_log(pool);
    db::ReportRepository reports(pool);
    domain::RefusalCounter refusals;
    const crypto::Signer* signer = signer_ ? &*signer_ : nullptr;
    http::AppServices services{config_, pool, organisations, tokens, clients, scopes, onboardings, terms, orders, support, verifications, test_users, metrics, auth, secrets, keys,
                               audit_log, reports, refusals, signer};
    PackageSweeper sweeper(secrets, config_.delivery.sweep_interval_s);
    AuditMaintenance audit_maintenance(config_.audit, audit_log, reports, refusals, signer);
    const http::Router router(http::ApiRoutes());

    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(config_.http.host, static_cast<Poco::UInt16>(config_.http.port)), true);
    socket.listen(256);
    const int port = socket.address().port();

    Poco::ThreadPool threads("http", 2, config_.http.max_threads, 60);
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(config_.http.max_threads);
    params->setMaxQueued(config_.http.max_queued);
    params->setKeepAlive(config_.http.keep_alive);
    params->setKeepAliveTimeout(Poco::Timespan(config_.http.keep_alive_timeout_s, 0));
    params->setThreadIdleTime(Poco::Timespan(1, 0));  // bounds stop: an idle dispatcher can miss Poco's stop notice
    params->setMaxKeepAliveRequests(10000);
    params->setTimeout(Poco::Timespan(config_.http.request_timeout_s, 0));
    params->setServerName("onboard");
    Poco::Net::HTTPServer server(new http::ApiRequestHandlerFactory(router, services), threads, socket, params);
    server.start();
    audit_maintenance.Start();
    if (!config_.http.port_file.empty()) WritePortFile(config_.http.port_file, port);

    Poco::JSON::Object f;
    f.set("address", config_.http.host + ":" + std::to_string(port));
    f.set("instance", config_.instance_id);
    f.set("database", db::RedactUrl(config_.database.url));
    f.set("startup_ms",
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    log::Info("listening", f);

    waitForTerminationRequest();

    sweeper.Stop();
    log::Info("shutting down: finishing in-flight requests");
    server.stop();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.http.shutdown_grace_s);
    while (server.currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.stopAll(true);
    threads.joinAll();
    audit_maintenance.Stop();  // writes the last refusal counts
    log::Info("stopped");
    return EXIT_OK;
  }

 private:
  AppConfig config_;
  domain::ScopeCatalogue scopes_;
  std::optional<crypto::Signer> signer_;
};

}  // namespace

int RunServe(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  AppConfig config;
  domain::ScopeCatalogue scopes;
  std::optional<crypto::Signer> signer;
  try {
    config = LoadAppConfig(args);
    scopes = LoadScopeCatalogue(config.clients.scope_catalogue_file);
    signer = LoadCheckpointSigner(config);
  } catch (const ConfigError& e) {
    std::cerr << "onboard-api: " << e.what() << "\n";
    return 78;  // EX_CONFIG
  }
  if (!args.empty()) {
    std::cerr << "onboard-api serve: unexpected argument '" << args.front() << "'\n";
    return 64;
  }
  if (config.secrets.pepper.empty()) {
    std::cerr << "onboard-api: invalid configuration:\n  - secrets.pepper (ONBOARD_SECRETS_PEPPER) or "
                 "secrets.pepper_file (ONBOARD_SECRETS_PEPPER_FILE): required to serve; client secrets are "
                 "stored under it\n";
    return 78;
  }
  if (config.secrets.keks.empty()) {
    std::cerr << "onboard-api: invalid configuration:\n  - secrets.kek (ONBOARD_SECRETS_KEK) or "
                 "secrets.kek_file (ONBOARD_SECRETS_KEK_FILE): required to serve; pending deliveries are "
                 "sealed under it (format <kek_id>:<64 hex characters>)\n";
    return 78;
  }
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.log.level, level);
  log::SetLevel(level);
  OnboardServer app(std::move(config), std::move(scopes), std::move(signer));
  char* app_argv[] = {argv[0], nullptr};
  return app.run(1, app_argv);
}

}  // namespace onboard::app
