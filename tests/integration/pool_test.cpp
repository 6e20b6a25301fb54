#include <gtest/gtest.h>

#include <future>

#include "error.hpp"
#include "integration_helpers.hpp"
#include "organisation_repository.hpp"

namespace onboard::testsupport {
namespace {

using Clock = std::chrono::steady_clock;

class Pool : public DatabaseTest {
 protected:
  static int64_t BackendPid(db::Connection& c) {
    return c.ExecSimple("SELECT pg_backend_pid()").Int(0, 0);
  }

  // Terminates a backend from the admin connection and waits until it is gone.
  void Terminate(int64_t pid) {
    const std::string p = std::to_string(pid);
    ExecSql(db_->admin_url(), "SELECT pg_terminate_backend(" + p + ")");
    ASSERT_TRUE(WaitUntil(
        [&] {
          return QueryInt(db_->admin_url(),
                          "SELECT count(*) FROM pg_stat_activity WHERE pid = " + p) == 0;
        },
        10s));
  }
};

TEST_F(Pool, ReusesAReturnedConnection) {
  int64_t first = 0;
  {
    auto lease = pool_->Acquire();
    first = BackendPid(*lease);
  }
  auto lease = pool_->Acquire();
  EXPECT_EQ(BackendPid(*lease), first);
  const auto stats = pool_->Stats();
  EXPECT_EQ(stats.in_use, 1);
  EXPECT_EQ(stats.idle, 0);
  EXPECT_EQ(stats.max, 4);
}

TEST_F(Pool, OpensConnectionsLazilyUpToItsSize) {
  EXPECT_EQ(pool_->Stats().idle, 0);
  {
    auto a = pool_->Acquire();
    auto b = pool_->Acquire();
    EXPECT_NE(BackendPid(*a), BackendPid(*b));
    EXPECT_EQ(pool_->Stats().in_use, 2);
  }
  EXPECT_EQ(pool_->Stats().in_use, 0);
  EXPECT_EQ(pool_->Stats().idle, 2);
}

// After a database restart or failover every pooled connection is dead; the next
// request should get a working connection rather than an error.
TEST_F(Pool, HandsOutAWorkingConnectionAfterItsIdleConnectionWasTerminated) {
  int64_t pid = 0;
  {
    auto lease = pool_->Acquire();
    pid = BackendPid(*lease);
  }
  Terminate(pid);
  auto lease = pool_->Acquire();
  int64_t fresh = 0;
  EXPECT_NO_THROW(fresh = BackendPid(*lease)) << "Acquire handed out the terminated connection";
  EXPECT_NE(fresh, pid);
}

TEST_F(Pool, DropsATerminatedConnectionAfterItFailsAndReplacesIt) {
  int64_t pid = 0;
  {
    auto lease = pool_->Acquire();
    pid = BackendPid(*lease);
  }
  Terminate(pid);
  // Whether the first use fails (the pool did not notice) or not, the connection after it
  // must be a new, working one and the dead one must be counted as dropped.
  try {
    auto lease = pool_->Acquire();
    lease->Exec("count_schema_migrations");
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
  auto lease = pool_->Acquire();
  EXPECT_NE(BackendPid(*lease), pid);
  EXPECT_EQ(lease->Exec("count_schema_migrations").rows(), 1);
  EXPECT_GE(pool_->Stats().broken_dropped, 1u);
}

TEST_F(Pool, ReportsUnavailableWhenNoConnectionIsFreeWithinTheAcquireTimeout) {
  db::Pool small(db_->url(), 1, 200, 5);
  auto held = small.Acquire();
  const auto started = Clock::now();
  try {
    small.Acquire();
    FAIL() << "acquired a second connection from a pool of one";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    EXPECT_EQ(e.code_name(), "database_busy");
  }
  const auto waited = Clock::now() - started;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 3s);
  EXPECT_EQ(small.Stats().acquire_timeouts, 1u);
}

TEST_F(Pool, GivesAReturnedConnectionToAWaitingCaller) {
  db::Pool small(db_->url(), 1, 10000, 5);
  auto held = std::make_unique<db::Lease>(small.Acquire());
  auto waiter = std::async(std::launch::async, [&] {
    auto lease = small.Acquire();
    return BackendPid(*lease);
  });
  EXPECT_EQ(waiter.wait_for(50ms), std::future_status::timeout);
  const auto released = Clock::now();
  held.reset();
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  EXPECT_LT(Clock::now() - released, 2s);
  EXPECT_GT(waiter.get(), 0);
}

TEST_F(Pool, ReportsAnUnreachableDatabaseAsUnavailableAndFreesTheSlot) {
  TcpProxy proxy(HostPortOf(db_->url()).first, HostPortOf(db_->url()).second);
  const std::string via_proxy =
      WithDatabase(db_->url(), db_->name(), std::make_pair("127.0.0.1", proxy.port()));
  proxy.Stop();
  db::Pool pool(via_proxy, 1, 200, 2);
  for (int i = 0; i < 3; ++i) {
    try {
      pool.Acquire();
      FAIL() << "connected to a stopped proxy";
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
      EXPECT_EQ(e.code_name(), "database_unavailable") << "attempt " << i;
    }
  }
  EXPECT_EQ(pool.Stats().in_use, 0);
  proxy.Start();
  auto lease = pool.Acquire();
  EXPECT_EQ(lease->Exec("count_schema_migrations").rows(), 1);
}

TEST_F(Pool, RecoversWhenTheDatabaseComesBackAfterAnOutage) {
  TcpProxy proxy(HostPortOf(db_->url()).first, HostPortOf(db_->url()).second);
  db::Pool pool(WithDatabase(db_->url(), db_->name(), std::make_pair("127.0.0.1", proxy.port())), 2,
                500, 2);
  {
    auto a = pool.Acquire();
    auto b = pool.Acquire();
    a->Exec("count_schema_migrations");
    b->Exec("count_schema_migrations");
  }
  proxy.Stop();
  EXPECT_THROW(
      {
        auto lease = pool.Acquire();
        lease->Exec("count_schema_migrations");
      },
      AppError);
  proxy.Start();
  const bool back = WaitUntil(
      [&] {
        try {
          auto lease = pool.Acquire();
          return lease->Exec("count_schema_migrations").rows() == 1;
        } catch (const AppError&) {
          return false;
        }
      },
      5s);
  EXPECT_TRUE(back);
}

TEST_F(Pool, RollsBackATransactionLeftOpenBeforeReusingTheConnection) {
  {
    auto lease = pool_->Acquire();
    lease->ExecSimple("BEGIN");
    lease->ExecSimple("INSERT INTO organisations (orgno, name) VALUES ('974760673', 'Left open')");
  }
  auto lease = pool_->Acquire();
  EXPECT_FALSE(lease->in_transaction());
  EXPECT_EQ(lease->ExecSimple("SELECT count(*) FROM organisations").Int(0, 0), 0);
}

TEST_F(Pool, MapsAUniqueViolationToAConflictNamingTheConstraint) {
  auto lease = pool_->Acquire();
  lease->Exec("insert_organisation", {"974760673", "A", "[]"});
  try {
    lease->Exec("insert_organisation", {"974760673", "B", "[]"});
    FAIL() << "duplicate accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_EQ(e.code_name(), "organisations_pkey");
    EXPECT_EQ(e.detail().find("organisations_pkey"), std::string::npos)
        << "the public detail names a constraint";
  }
  // The connection is still usable after the error.
  EXPECT_EQ(lease->Exec("select_organisation", {"974760673"}).rows(), 1);
}

}  // namespace
}  // namespace onboard::testsupport
