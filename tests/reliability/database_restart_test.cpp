// The database goes away and comes back while clients register and read (label
// reliability). Extends tests/e2e/database_outage_test.cpp (one request at a time) to a
// service under load: during the outage every answer is a 503 with Retry-After (never a
// 500, never a dropped connection), the process never dies, it serves again within 5 s of
// the database's return, and afterwards every client that exists has its audit event in
// an intact chain.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using Clock = std::chrono::steady_clock;

// The database is behind a proxy that the test stops and starts (e2e_helpers.hpp).
class DatabaseRestartUnderLoad : public DatabaseBehindProxy {};

TEST_F(DatabaseRestartUnderLoad, Answers503WhileDownNeverCrashesAndServesWithin5sOfTheReturn) {
  ApiProcess api(via_proxy_,
                 {{"ONBOARD_DATABASE_CONNECT_TIMEOUT_S", "1"}, {"ONBOARD_LOG_ACCESS", "false"}});
  HttpClient http(api.port());
  ASSERT_EQ(
      http.Post("/v1/organisations", OrgBody("974760673", "Restart AS"), Bearer(op_.secret)).status,
      201);

  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::map<int, int> statuses;  // status -> count, over all requests
  int created = 0, posts_failed = 0, missing_retry_after = 0;
  std::vector<std::future<void>> load;
  for (int t = 0; t < 6; ++t) {
    load.push_back(std::async(std::launch::async, [&, t] {
      for (int i = 0; !stop.load(); ++i) {
        HttpResponse r;
        const bool post = (t + i) % 2 == 0;
        if (post) {
          r = http.Post(
              "/v1/clients",
              R"({"environment":"test","integration_type":"idporten","client_name":"Restart )" +
                  std::to_string(t) + "-" + std::to_string(i) +
                  R"(","client_orgno":"974760673","redirect_uris":["https://app.example.no/cb"],)"
                  R"("post_logout_redirect_uris":["https://app.example.no/logout"],"scopes":["openid"]})",
              Bearer(op_.secret));
        } else {
          r = http.Get("/v1/clients?limit=5", Bearer(op_.secret));
        }
        std::lock_guard<std::mutex> lock(mutex);
        ++statuses[r.status];
        if (post && r.status == 201) ++created;
        if (post && r.status != 201) ++posts_failed;
        if (r.status == 503 && r.Header("Retry-After").empty()) ++missing_retry_after;
      }
    }));
  }
  std::this_thread::sleep_for(1500ms);
  proxy_->Stop();  // the database goes away under load
  std::this_thread::sleep_for(2500ms);
  {
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_GT(statuses[503], 0) << "no request noticed the outage";
  }
  proxy_->Start();
  const auto back = Clock::now();
  const bool serving = WaitUntil(
      [&] { return http.Get("/v1/clients?limit=1", Bearer(op_.secret)).status == 200; }, 5s, 50ms);
  EXPECT_TRUE(serving) << "no 200 within 5 s of the database's return";
  EXPECT_LT(Clock::now() - back, 5s);
  std::this_thread::sleep_for(1000ms);  // load continues on the recovered database
  stop = true;
  for (auto& f : load) f.get();

  EXPECT_TRUE(api.running()) << "the service died: " << api.log().substr(0, 2000);
  std::string seen;
  for (const auto& [status, count] : statuses)
    seen += std::to_string(status) + "x" + std::to_string(count) + " ";
  for (const auto& [status, count] : statuses) {
    EXPECT_TRUE(status == 200 || status == 201 || status == 503)
        << "unexpected status " << status << ": " << seen;
  }
  EXPECT_EQ(missing_retry_after, 0) << seen;
  EXPECT_GT(created, 0) << seen;

  // Every client that exists has its audit event, sealed into one intact chain (events
  // committed just before the outage are sealed by the sweep within seconds).
  EXPECT_TRUE(WaitUntil(
      [&] { return QueryInt(db_->url(), "SELECT count(*) FROM audit_queue") == 0; }, 10s, 100ms));
  const int64_t clients = QueryInt(db_->url(), "SELECT count(*) FROM clients");
  EXPECT_EQ(
      QueryInt(db_->url(), "SELECT count(*) FROM audit_events WHERE action = 'client.create'"),
      clients);
  // A 503 on POST may still have committed (the answer was lost with the connection),
  // never the other way round.
  EXPECT_GE(clients, created) << seen;
  EXPECT_LE(clients, created + posts_failed) << seen;
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
}

}  // namespace
}  // namespace onboard::testsupport
