// The jti replay store on a real PostgreSQL: batched inserts accept each (client, jti) once,
// however many requests race for it, and expired entries are purged.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "client_key_repository.hpp"
#include "error.hpp"
#include "pool.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {
namespace {

const std::string kClient = "5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c";

void InsertClient(const TempDatabase& db) {
  ExecSql(db.url(), "INSERT INTO organisations (orgno, name) VALUES ('974760673', 'Etat')");
  ExecSql(db.url(),
          "INSERT INTO clients (client_id, environment, organisation, integration_type, "
          "client_name, state, metadata,"
          " registration_channel, created_by) VALUES ('" +
              kClient +
              "', 'test', '974760673', 'maskinporten', 'M', 'active', '{}', 'operator', 't')");
}

// Every jti is sent by two threads (t and t ^ 1), some with characters an array literal
// must escape; each is accepted exactly once.
void RaceForJtis(int max_flushes) {
  TempDatabase db;
  InsertClient(db);
  db::Pool pool(db.url(), 4, 5000, 5);
  db::ReplayBatcher batcher(pool, max_flushes);
  const int64_t exp = static_cast<int64_t>(std::time(nullptr)) + 120;
  constexpr int kThreads = 16, kJtis = 150;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJtis; ++i) {
        const std::string jti = "jti-" + std::to_string(t / 2) + "-" + std::to_string(i) +
                                (i % 7 == 0 ? "\"\\,{} '" : "");
        if (batcher.Remember(kClient, jti, exp)) ++accepted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), kThreads / 2 * kJtis);
  EXPECT_EQ(QueryInt(db.url(), "SELECT count(*) FROM assertion_jtis"), kThreads / 2 * kJtis);
  EXPECT_EQ(
      QueryInt(db.url(), "SELECT count(*) FROM assertion_jtis WHERE jti = 'jti-0-0\"\\,{} '''"), 1);
  EXPECT_FALSE(batcher.Remember(kClient, "jti-0-1", exp));
  EXPECT_TRUE(batcher.Remember(kClient, "jti-new", exp));
}

TEST(ReplayStore, AcceptsEachJtiOnceWhenManyRequestsRaceForIt) { RaceForJtis(2); }

// The service's setting: one batch in flight, the next gathered while it runs.
TEST(ReplayStore, AcceptsEachJtiOnceWithOneBatchInFlight) { RaceForJtis(1); }

TEST(ReplayStore, PurgesOnlyExpiredEntries) {
  TempDatabase db;
  InsertClient(db);
  db::Pool pool(db.url(), 2, 5000, 5);
  db::ProviderRepository repo(pool, pool, 1);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  EXPECT_TRUE(repo.RememberJti(kClient, "old", now - 5));
  EXPECT_TRUE(repo.RememberJti(kClient, "live", now + 60));
  EXPECT_EQ(repo.PurgeExpiredJtis(), 1);
  EXPECT_EQ(QueryInt(db.url(), "SELECT count(*) FROM assertion_jtis WHERE jti = 'live'"), 1);
}

TEST(ReplayStore, FailsClosedWhenTheDatabaseIsGone) {
  db::Pool pool("postgresql://onboard@127.0.0.1:1/none", 1, 500, 1);
  db::ReplayBatcher batcher(pool, 1);
  EXPECT_THROW(batcher.Remember(kClient, "x", 0), AppError);
}

}  // namespace
}  // namespace onboard::testsupport
