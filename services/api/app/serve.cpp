#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Util/ServerApplication.h>

#include <algorithm>
#include <chrono>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <condition_variable>
#include <mutex>
#include <fstream>
#include <iostream>
#include <thread>

#include "audit_store.hpp"
#include "audit_log_repository.hpp"
#include "audit_maintenance.hpp"
#include "access_tokens.hpp"
#include "authenticator.hpp"
#include "http_fetch.hpp"
#include "pg_unit_of_work.hpp"
#include "client_key_repository.hpp"
#include "client_repository.hpp"
#include "provider_service.hpp"
#include "commands.hpp"
#include "config_loader.hpp"
#include "courier_repository.hpp"
#include "error.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "migrator.hpp"
#include "onboarding_repository.hpp"
#include "organisation_repository.hpp"
#include "invalidation_bus.hpp"
#include "pool.hpp"
#include "production_order_repository.hpp"
#include "router.hpp"
#include "secret_repository.hpp"
#include "request_pipeline.hpp"
#include "server.hpp"
#include "session_repository.hpp"
#include "sessions.hpp"
#include "oidc_flow_repository.hpp"
#include "jwk_set_repository.hpp"
#include "oidc_provider.hpp"
#include "oidc_sign_in.hpp"
#include "signer.hpp"
#include "support_repository.hpp"
#include "terms_repository.hpp"
#include "test_user_repository.hpp"
#include "token_repository.hpp"
#include "verification_repository.hpp"
#include "notify_jobs.hpp"
#include "notify_repository.hpp"
#include "notify_usecases.hpp"
#include "renderer.hpp"

namespace onboard::app {

namespace {

// Every open connection is a descriptor: the soft limit goes up to the hard one, and a
// warning says so when that is below http.max_connections plus some room.
void RaiseOpenFileLimit(int max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    Poco::JSON::Object f;
    f.set("open_files", static_cast<Poco::UInt64>(limit.rlim_cur));
    f.set("http.max_connections", max_connections);
    log::Warn("the open-file limit is below http.max_connections: connections beyond it fail", f);
  }
}

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
    throw ConfigError(
        {"clients.scope_catalogue_file: " + path + " is not a JSON object: " + e.displayText()});
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

// The database URL with synchronous_commit off for every session (libpq `options`).
std::string ReplayUrl(const std::string& url, bool async_commit) {
  if (!async_commit) return url;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") +
           "options=-c%20synchronous_commit%3Doff";
  }
  return url + " options='-c synchronous_commit=off'";
}

// The trust anchors of both environments, or ConfigError naming the unusable file.
std::pair<domain::TrustAnchors, domain::TrustAnchors> LoadTrustAnchors(
    const CertificatesConfig& c) {
  std::vector<std::string> problems;
  auto load = [&](const std::string& key, const std::string& file,
                  const std::vector<std::string>& crls) {
    if (file.empty()) {
      if (!crls.empty()) problems.push_back(key + ": CRL files are configured but no CA file");
      return domain::TrustAnchors();
    }
    try {
      return domain::TrustAnchors::FromFiles(file, crls);
    } catch (const std::exception& e) {
      problems.push_back(key + ": " + e.what());
      return domain::TrustAnchors();
    }
  };
  auto test = load("certificates.test_ca_file", c.test_ca_file, c.test_crl_files);
  auto production =
      load("certificates.production_ca_file", c.production_ca_file, c.production_crl_files);
  if (!problems.empty()) throw ConfigError(problems);
  return {std::move(test), std::move(production)};
}

usecases::OidcSignInPolicy OidcPolicy(const AppConfig& config) {
  const OidcConfig& o = config.oidc;
  usecases::OidcSignInPolicy p;
  p.client_id = o.client_id;
  p.redirect_uri = o.redirect_uri;
  p.scope.clear();
  for (const auto& s : o.scopes) p.scope += (p.scope.empty() ? "" : " ") + s;
  p.after_sign_in_path = o.after_sign_in_path;
  p.post_logout_redirect_uri = o.post_logout_redirect_uri;
  p.display_name_claim = o.display_name_claim;
  p.flow_ttl_s = o.flow_ttl_s;
  p.id_token.issuer = o.issuer;
  p.id_token.client_id = o.client_id;
  p.id_token.skew_s = o.clock_skew_s;
  p.id_token.algs.clear();
  for (const auto& a : o.algs) {
    if (auto alg = domain::jose::AlgFromString(a)) p.id_token.algs.push_back(*alg);
  }
  p.roles.claim = o.role_claim;
  p.roles.operator_values = o.operator_values;
  p.roles.auditor_values = o.auditor_values;
  p.server_key = config.secrets.pepper;
  p.offered = std::count(config.session.sign_in_methods.begin(),
                         config.session.sign_in_methods.end(), "oidc") > 0;
  return p;
}

class OnboardServer : public Poco::Util::ServerApplication {
 public:
  OnboardServer(AppConfig config, domain::ScopeCatalogue scopes,
                std::pair<domain::TrustAnchors, domain::TrustAnchors> anchors,
                std::optional<crypto::Signer> signer)
      : config_(std::move(config)),
        scopes_(std::move(scopes)),
        test_anchors_(std::move(anchors.first)),
        production_anchors_(std::move(anchors.second)),
        signer_(std::move(signer)) {}

 protected:
  int main(const std::vector<std::string>&) override {
    const auto started = std::chrono::steady_clock::now();
    // Block the stop signals before any thread starts (threads inherit the mask), so a
    // SIGTERM that arrives during start-up waits for waitForTerminationRequest's sigwait
    // instead of killing the process with status 143.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGQUIT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    db::Pool pool(config_.database.url, config_.database.pool_size,
                  config_.database.acquire_timeout_ms, config_.database.connect_timeout_s);
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
    // Seals audit events a crashed instance (or a failed seal) left in the queue.
    db::AuditSweeper audit_sweeper(pool, std::chrono::seconds(2));
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
    identity::GlobalInit();
    const std::unique_ptr<domain::AccessTokenVerifier> access_tokens =
        identity::BuildAccessTokenVerifier(config_.access_tokens);
    auth.UseAccessTokens(access_tokens.get());
    auth.SetPortalHeaderTrust(config_.auth.portal_header_trust);
    const crypto::KeyRing kek_ring(config_.secrets.keks);
    db::SecretRepository secrets(pool, kek_ring);
    db::ClientKeyRepository client_keys(pool);
    // The jti replay store has connections of its own (the hot path never waits behind
    // an audit write); with provider.replay_async_commit their commits do not wait for the
    // WAL flush: a database crash may forget the last few hundred ms of accepted jtis.
    db::Pool replay_pool(ReplayUrl(config_.database.url, config_.provider.replay_async_commit),
                         config_.provider.replay_pool_size, config_.database.acquire_timeout_ms,
                         config_.database.connect_timeout_s);
    // One batch in flight: requests arriving during a flush gather into the next one, so
    // the database sees a few large INSERTs instead of many one-row ones. Measured with
    // ops/bench on 2 cores: 4 in flight gave 4.1k private_key_jwt req/s at 130 us of
    // database CPU per request, 1 gives 6.0k at 50 us. The pool's other connection serves
    // the purge of expired ids.
    db::ProviderRepository provider_store(pool, replay_pool, 1);
    usecases::ProviderService provider(provider_store, config_, std::move(test_anchors_),
                                       std::move(production_anchors_));
    provider.StartPurger();
    // Cross-instance invalidation (issue #19): what this instance invalidates is announced
    // over LISTEN/NOTIFY, and what the others announce is dropped here; the caches' TTLs
    // stay the fallback while the bus is reconnecting.
    db::InvalidationBus invalidations(config_.database.url, config_.database.connect_timeout_s,
                                      [&provider, &auth](const std::string& message) {
                                        if (message == "tokens") {
                                          auth.InvalidateLocal();
                                        } else if (message.rfind("client:", 0) == 0) {
                                          provider.InvalidateLocal(message.substr(7));
                                        } else {
                                          auth.InvalidateLocal();
                                          provider.InvalidateAllLocal();
                                        }
                                      });
    provider.SetPublisher([&invalidations](std::string m) { invalidations.Publish(std::move(m)); });
    auth.SetPublisher([&invalidations](std::string m) { invalidations.Publish(std::move(m)); });
    invalidations.Start();
    db::SmsCallbackRepository sms_callbacks(pool);
    db::AuditLogRepository audit_log(pool);
    db::ReportRepository reports(pool);
    domain::RefusalCounter refusals;
    const crypto::Signer* signer = signer_ ? &*signer_ : nullptr;
    db::SessionRepository session_store(pool);
    usecases::Sessions sessions(session_store, tokens,
                                {config_.session.idle_timeout_s, config_.session.absolute_timeout_s,
                                 std::count(config_.session.sign_in_methods.begin(),
                                            config_.session.sign_in_methods.end(), "token") > 0});
    // Operators' single sign-on (issue #17), when oidc.issuer is configured.
    db::OidcFlowRepository oidc_flows(pool);
    std::unique_ptr<identity::OidcProvider> oidc_provider;
    std::unique_ptr<usecases::OidcSignIn> oidc_sign_in;
    if (config_.oidc.enabled()) {
      oidc_provider = std::make_unique<identity::OidcProvider>(config_.oidc, config_.access_tokens);
      oidc_sign_in = std::make_unique<usecases::OidcSignIn>(oidc_flows, *oidc_provider, sessions,
                                                            session_store, OidcPolicy(config_));
    }
    // After-commit invalidation (use cases' unit-of-work hooks): the provider's client
    // snapshot and the token cache.
    usecases::CallbackCaches caches([&provider](const std::string& id) { provider.Invalidate(id); },
                                    [&auth] { auth.Invalidate(); });
    db::PgUnitsOfWork units(pool);  // the use cases' audited units of work
    // The provider's self-service API shape (issue #17).
    db::JwkSetRepository jwk_sets(pool);
    usecases::Organisations organisation_cases(organisations);
    usecases::Clients client_cases(clients, scopes, units, caches);
    usecases::OnBehalfOfEntries onbehalfof_cases(client_cases);
    usecases::DynamicRegistration registration_cases(
        clients, organisations, scopes, units, caches,
        {config_.secrets.pepper, config_.secrets.lifetime_days});
    usecases::Onboardings onboarding_cases(onboardings);
    usecases::TermsOfUse terms_cases(terms);
    usecases::Verifications verification_cases(verifications, clients, onboardings, scopes,
                                               config_.verification.max_age_days);
    const usecases::SecretDeliveries delivery_cases(secrets, config_, kek_ring);
    usecases::ClientSecrets secret_cases(client_cases, clients, secrets, delivery_cases, units,
                                         caches,
                                         {config_.secrets.pepper, config_.secrets.lifetime_days,
                                          config_.secrets.grace_days, config_.secrets.max_old});
    usecases::ClientKeys key_cases(
        client_cases, client_keys, jwk_sets, scopes, units, caches,
        {provider.Anchors(domain::Environment::kTest),
         provider.Anchors(domain::Environment::kProduction), provider.certificate_policy()});
    usecases::ProductionOrders order_cases(
        orders, onboardings, clients, verification_cases, delivery_cases, scopes,
        {config_.orders.four_eyes, config_.delivery.mobile_prefixes});
    usecases::TestUserPool test_user_cases(test_users, organisations);
    usecases::Tokens token_cases(tokens, units, caches);
    usecases::AuditQueries audit_cases(audit_log, reports, signer);
    usecases::SupportLookup support_cases(clients, organisations, support, onboardings, orders,
                                          secrets, verification_cases);
    usecases::ProviderRuntime provider_cases(provider);
    usecases::SmsCallbacks sms_cases(sms_callbacks, config_.sms,
                                     std::chrono::minutes(config_.courier.deadline_minutes));
    usecases::UseCases use_cases{.organisations = organisation_cases,
                                 .clients = client_cases,
                                 .registration = registration_cases,
                                 .onbehalfof = onbehalfof_cases,
                                 .orders = order_cases,
                                 .deliveries = delivery_cases,
                                 .secrets = secret_cases,
                                 .keys = key_cases,
                                 .onboardings = onboarding_cases,
                                 .terms = terms_cases,
                                 .verifications = verification_cases,
                                 .test_users = test_user_cases,
                                 .tokens = token_cases,
                                 .audit = audit_cases,
                                 .support = support_cases,
                                 .provider = provider_cases,
                                 .sms_callbacks = sms_cases,
                                 .sessions = sessions,
                                 .oidc = oidc_sign_in.get()};
    http::AppServices services{config_, pool,        clients,  scopes,   metrics,
                               auth,    client_keys, provider, refusals, use_cases};
    PackageSweeper sweeper(secrets, config_.delivery.sweep_interval_s);
    AuditMaintenance audit_maintenance(config_.audit, audit_log, reports, refusals, signer);
    // Notifications and webhooks (issue #18).
    domain::OffsetClock notify_clock;
    notify::TemplateRenderer notify_renderer;
    db::ContactRepository contact_store(pool);
    db::WebhookRepository webhook_store(pool);
    db::NotificationRepository notify_store(
        pool, notify_renderer,
        db::NotifyDeadlines{config_.webhooks.retry_hours * 60,
                            config_.notify.mail_deadline_minutes});
    notify::ContactUseCases contact_cases(contact_store, organisations, clients);
    notify::SystemResolver resolver;
    notify::WebhookUseCases webhook_cases(
        webhook_store, organisations, kek_ring, resolver, notify_clock,
        notify::WebhookPolicy{config_.webhooks.allow_http, config_.webhooks.allow_private_targets,
                              config_.webhooks.retry_hours});
    db::TestClockRepository shared_clock(pool);
    domain::ClockOffsetStore* clock_store =
        config_.notify.test_clock_control ? &shared_clock : nullptr;
    http::NotifyServices notify_services{contact_cases, webhook_cases, notify_clock, clock_store};
    services.notify = &notify_services;
    NotifyJobs notify_jobs(config_, notify_store, notify_clock, clock_store);
    const http::Router router(http::ApiRoutes());

    Poco::Net::ServerSocket socket;
    socket.bind(
        Poco::Net::SocketAddress(config_.http.host, static_cast<Poco::UInt16>(config_.http.port)),
        true);
    // Room for a burst of new connections (the kernel caps it at net.core.somaxconn).
    socket.listen(4096);
    const int port = socket.address().port();

    Poco::AutoPtr<Poco::Net::HTTPServerParams> params = new Poco::Net::HTTPServerParams();
    params->setKeepAlive(config_.http.keep_alive);
    params->setKeepAliveTimeout(Poco::Timespan(config_.http.keep_alive_timeout_s, 0));
    params->setMaxKeepAliveRequests(10000);
    params->setTimeout(Poco::Timespan(config_.http.request_timeout_s, 0));
    params->setServerName("onboard");
    http::ConnectionPolicy policy;
    policy.header_timeout = std::chrono::seconds(config_.http.header_timeout_s);
    policy.request_timeout = std::chrono::seconds(config_.http.request_timeout_s);
    policy.shed_at_waiting = config_.http.max_queued;
    policy.max_connections = config_.http.max_connections;
    policy.keep_while_free = std::chrono::milliseconds(config_.http.keep_while_free_ms);
    policy.retry_after_s = 1;
    RaiseOpenFileLimit(config_.http.max_connections);
    http::ApiRequestPipeline pipeline(router, services);
    http::ApiServer server(socket, pipeline, params, policy, config_.http.max_threads);
    metrics.SetGaugeSource([&server] { return http::RenderServerStats(server.Stats()); });
    server.Start();
    audit_maintenance.Start();
    if (!config_.http.port_file.empty()) WritePortFile(config_.http.port_file, port);

    Poco::JSON::Object f;
    f.set("address", config_.http.host + ":" + std::to_string(port));
    f.set("instance", config_.instance_id);
    f.set("database", db::RedactUrl(config_.database.url));
    f.set("startup_ms",
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count());
    log::Info("listening", f);

    waitForTerminationRequest();

    sweeper.Stop();
    log::Info("shutting down: finishing in-flight requests");
    server.Stop();
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(config_.http.shutdown_grace_s);
    while (server.CurrentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.Abort();
    metrics.SetGaugeSource({});
    audit_maintenance.Stop();  // writes the last refusal counts
    log::Info("stopped");
    return EXIT_OK;
  }

 private:
  AppConfig config_;
  domain::ScopeCatalogue scopes_;
  domain::TrustAnchors test_anchors_;
  domain::TrustAnchors production_anchors_;
  std::optional<crypto::Signer> signer_;
};

}  // namespace

int RunServe(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  AppConfig config;
  domain::ScopeCatalogue scopes;
  std::pair<domain::TrustAnchors, domain::TrustAnchors> anchors;
  std::optional<crypto::Signer> signer;
  try {
    config = LoadAppConfig(args);
    scopes = LoadScopeCatalogue(config.clients.scope_catalogue_file);
    anchors = LoadTrustAnchors(config.certificates);
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
    std::cerr
        << "onboard-api: invalid configuration:\n  - secrets.pepper (ONBOARD_SECRETS_PEPPER) or "
           "secrets.pepper_file (ONBOARD_SECRETS_PEPPER_FILE): required to serve; client secrets "
           "are "
           "stored under it\n";
    return 78;
  }
  if (config.secrets.keks.empty()) {
    std::cerr
        << "onboard-api: invalid configuration:\n  - secrets.kek (ONBOARD_SECRETS_KEK) or "
           "secrets.kek_file (ONBOARD_SECRETS_KEK_FILE): required to serve; pending deliveries are "
           "sealed under it (format <kek_id>:<64 hex characters>)\n";
    return 78;
  }
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.log.level, level);
  log::SetLevel(level);
  OnboardServer app(std::move(config), std::move(scopes), std::move(anchors), std::move(signer));
  char* app_argv[] = {argv[0], nullptr};
  return app.run(1, app_argv);
}

}  // namespace onboard::app
