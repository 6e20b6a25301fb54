// onboard-courier: sends what the outbox holds (SMS through a Twilio-compatible API, e-mail
// through SMTP) and records the results. Any number may run, on any hosts, against one
// database. Configuration as onboard-api (--config=FILE / ONBOARD_CONFIG, ONBOARD_*).
// Stops on SIGTERM/SIGINT after the sends in flight.

#include <curl/curl.h>

#include <iostream>
#include <thread>
#include <vector>

#include "config_loader.hpp"
#include "courier_repository.hpp"
#include "courier_worker.hpp"
#include "kek.hpp"
#include "log.hpp"
#include "notify_repository.hpp"
#include "notify_worker.hpp"
#include "renderer.hpp"
#include "stop_signals.hpp"
#include "pg.hpp"
#include "pool.hpp"

namespace {

// What onboard-courier needs beyond what LoadConfig checks for every process.
std::vector<std::string> CourierProblems(const onboard::AppConfig& c) {
  std::vector<std::string> p;
  if (c.secrets.keks.empty()) {
    p.push_back(
        "secrets.kek (ONBOARD_SECRETS_KEK) or secrets.kek_file (ONBOARD_SECRETS_KEK_FILE): "
        "required to "
        "open outbox payloads");
  }
  if (c.sms.account_sid.empty())
    p.push_back("sms.account_sid (ONBOARD_SMS_ACCOUNT_SID): required to send SMS");
  if (c.sms.auth_token.empty() && c.sms.api_key_sid.empty()) {
    p.push_back(
        "sms.auth_token (ONBOARD_SMS_AUTH_TOKEN), sms.auth_token_file or sms.api_key_sid + "
        "sms.api_key_secret: required to send SMS");
  }
  if (c.sms.from.empty() && c.sms.messaging_service_sid.empty()) {
    p.push_back("sms.from (ONBOARD_SMS_FROM) or sms.messaging_service_sid: required to send SMS");
  }
  if (c.sms.status_callback_url.empty()) {
    p.push_back(
        "sms.status_callback_url (ONBOARD_SMS_STATUS_CALLBACK_URL): required (delivery reports)");
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  onboard::AppConfig config;
  try {
    config = onboard::app::LoadAppConfig(args);
    if (auto problems = CourierProblems(config); !problems.empty())
      throw onboard::ConfigError(problems);
  } catch (const onboard::ConfigError& e) {
    std::cerr << "onboard-courier: " << e.what() << "\n";
    return 78;  // EX_CONFIG
  }
  if (!args.empty()) {
    std::cerr << "onboard-courier: unexpected argument '" << args.front() << "'\n";
    return 64;
  }
  onboard::log::Level level = onboard::log::Level::kInfo;
  onboard::log::ParseLevel(config.log.level, level);
  onboard::log::SetLevel(level);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "onboard-courier: curl_global_init failed\n";
    return 70;
  }
  // Blocked in every thread; the main thread waits for them below.
  const onboard::StopSignals stop_signals;

  int code = 0;
  {
    const onboard::crypto::KeyRing keys(config.secrets.keks);
    onboard::db::Pool pool(config.database.url, 2 * config.courier.workers + 1,
                           config.database.acquire_timeout_ms, config.database.connect_timeout_s);
    onboard::db::CourierRepository store(pool);
    onboard::courier::StopSignal stop;
    std::vector<std::unique_ptr<onboard::courier::Worker>> workers;
    for (int i = 0; i < config.courier.workers; ++i) {
      workers.push_back(std::make_unique<onboard::courier::Worker>(
          config, store, keys, config.instance_id + "/" + std::to_string(i)));
    }
    // The notification outbox (issue #18): as many loops again, so reminders and webhooks
    // never wait behind a slow SMS provider or the other way round.
    onboard::notify::TemplateRenderer renderer;
    onboard::db::NotificationOutboxRepository notify_store(pool, &renderer,
                                                           config.notify.operator_email);
    // The webhook windows go by the system clock, or with testing.clock_control by the
    // test clock every instance shares through the database (migration 0040).
    onboard::domain::OffsetClock notify_clock;
    onboard::db::TestClockRepository shared_clock(pool);
    onboard::domain::ClockOffsetStore* clock_store =
        config.notify.test_clock_control ? &shared_clock : nullptr;
    std::vector<std::unique_ptr<onboard::courier::NotifyWorker>> notify_workers;
    for (int i = 0; i < config.courier.workers; ++i) {
      notify_workers.push_back(std::make_unique<onboard::courier::NotifyWorker>(
          config, notify_store, keys, config.instance_id + "/notify-" + std::to_string(i),
          notify_clock, clock_store));
    }
    std::vector<std::thread> threads;
    for (auto& w : workers) threads.emplace_back([&stop, worker = w.get()] { worker->Run(stop); });
    for (auto& w : notify_workers)
      threads.emplace_back([&stop, worker = w.get()] { worker->Run(stop); });

    Poco::JSON::Object f;
    f.set("instance", config.instance_id);
    f.set("workers", config.courier.workers);
    f.set("database", onboard::db::RedactUrl(config.database.url));
    f.set("sms", config.sms.base_url);
    f.set("smtp", config.smtp.host.empty()
                      ? std::string("none")
                      : config.smtp.host + ":" + std::to_string(config.smtp.port));
    onboard::log::Info("courier started", f);

    stop_signals.Wait();
    onboard::log::Info("courier stopping: finishing the sends in flight");
    stop.Stop();
    for (auto& t : threads) t.join();
  }
  curl_global_cleanup();
  onboard::log::Info("courier stopped");
  return code;
}
