#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <regex>

#include "error.hpp"
#include "migrator.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {
namespace {

class Migrator : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      db_ = std::make_unique<TempDatabase>(/*migrate=*/false);
    } catch (const std::exception& e) {
      FAIL() << "no test database: " << e.what();
    }
  }
  int64_t Recorded() { return QueryInt(db_->url(), "SELECT count(*) FROM schema_migrations"); }
  std::unique_ptr<TempDatabase> db_;
};

TEST_F(Migrator, AppliesEveryEmbeddedMigrationToAnEmptyDatabase) {
  auto conn = db_->Connect();
  EXPECT_FALSE(db::MigrationsCurrent(*conn));
  const db::MigrationStatus status = db::Migrate(*conn);
  ASSERT_GE(db::EmbeddedMigrationCount(), 1);
  EXPECT_EQ(status.total, db::EmbeddedMigrationCount());
  EXPECT_EQ(static_cast<int>(status.applied.size()), db::EmbeddedMigrationCount());
  EXPECT_EQ(status.applied.front(), "0001_foundation.sql");
  EXPECT_EQ(Recorded(), db::EmbeddedMigrationCount());
  EXPECT_TRUE(db::MigrationsCurrent(*conn));
  EXPECT_EQ(QueryInt(db_->url(),
                     "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                     "('organisations','api_tokens','audit_events')"),
            3);
}

TEST_F(Migrator, AppliesNothingTheSecondTime) {
  auto conn = db_->Connect();
  db::Migrate(*conn);
  const auto applied_at =
      QueryScalar(db_->url(), "SELECT max(applied_at)::text FROM schema_migrations");
  const db::MigrationStatus again = db::Migrate(*conn);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(Recorded(), db::EmbeddedMigrationCount());
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT max(applied_at)::text FROM schema_migrations"),
            applied_at);
  // And from another connection, as a second instance would.
  auto other = db_->Connect();
  EXPECT_TRUE(db::Migrate(*other).applied.empty());
}

TEST_F(Migrator, RecordsTheChecksumOfEachMigration) {
  auto conn = db_->Connect();
  db::Migrate(*conn);
  const auto checksum =
      QueryScalar(db_->url(), "SELECT checksum FROM schema_migrations WHERE version = '0001'");
  ASSERT_TRUE(checksum);
  EXPECT_EQ(checksum->size(), 64u);
}

TEST_F(Migrator, RefusesToRunWhenALandedMigrationWasEdited) {
  auto conn = db_->Connect();
  db::Migrate(*conn);
  ExecSql(db_->url(),
          "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = '0001'");
  try {
    db::Migrate(*conn);
    FAIL() << "a tampered checksum was accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(e.internal().find("0001_foundation.sql"), std::string::npos) << e.internal();
    EXPECT_NE(e.internal().find("edited"), std::string::npos) << e.internal();
  }
  // The refusal released the migration lock: another session can take it at once.
  EXPECT_EQ(QueryScalar(db_->url(),
                        "SELECT pg_try_advisory_lock(" + std::to_string(db::kMigrationLock) + ")"),
            "t");
}

TEST_F(Migrator, ReportsMigrationsAsNotCurrentWhenOneIsMissing) {
  auto conn = db_->Connect();
  db::Migrate(*conn);
  ExecSql(
      db_->url(),
      "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
  EXPECT_FALSE(db::MigrationsCurrent(*conn));
}

TEST_F(Migrator, WaitsForTheMigrationLockHeldByAnotherSession) {
  auto holder = db_->Connect();
  holder->ExecSimple("SELECT pg_advisory_lock(" + std::to_string(db::kMigrationLock) + ")");
  auto conn = db_->Connect();
  auto migrated = std::async(std::launch::async, [&] { return db::Migrate(*conn); });
  const bool waiting = WaitUntil(
      [&] {
        return QueryInt(db_->url(),
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                        "AND database = (SELECT oid FROM pg_database WHERE datname = "
                        "current_database())") == 1;
      },
      10s);
  EXPECT_TRUE(waiting) << "Migrate did not wait for the advisory lock";
  EXPECT_EQ(migrated.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(
      QueryInt(db_->url(),
               "SELECT count(*) FROM information_schema.tables WHERE table_name = 'organisations'"),
      0);
  holder->ExecSimple("SELECT pg_advisory_unlock(" + std::to_string(db::kMigrationLock) + ")");
  ASSERT_EQ(migrated.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(static_cast<int>(migrated.get().applied.size()), db::EmbeddedMigrationCount());
}

TEST_F(Migrator, TwoConcurrentMigrationsApplyEachMigrationExactlyOnce) {
  auto a = db_->Connect();
  auto b = db_->Connect();
  std::latch start(2);
  auto run = [&](db::Connection& c) {
    start.arrive_and_wait();
    return db::Migrate(c);
  };
  auto fa = std::async(std::launch::async, run, std::ref(*a));
  auto fb = std::async(std::launch::async, run, std::ref(*b));
  db::MigrationStatus sa, sb;
  ASSERT_NO_THROW(sa = fa.get());
  ASSERT_NO_THROW(sb = fb.get());
  EXPECT_EQ(static_cast<int>(sa.applied.size() + sb.applied.size()), db::EmbeddedMigrationCount());
  EXPECT_EQ(Recorded(), db::EmbeddedMigrationCount());
  EXPECT_TRUE(db::MigrationsCurrent(*a));
}

TEST(MigrateCommand, AppliesMigrationsAndReportsThem) {
  TempDatabase db(/*migrate=*/false);
  const std::regex summary(R"(migrations: (\d+) applied, (\d+) known)");
  std::smatch m;
  const CliResult first = RunCli({"migrate"}, {{"ONBOARD_DATABASE_URL", db.url()}});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(std::regex_search(first.out, m, summary)) << first.out;
  EXPECT_EQ(m[1].str(), m[2].str()) << "a fresh database gets every migration";
  EXPECT_NE(m[1].str(), "0");
  EXPECT_EQ(QueryScalar(db.url(), "SELECT count(*) FROM schema_migrations"), m[1].str());
  const CliResult second = RunCli({"migrate"}, {{"ONBOARD_DATABASE_URL", db.url()}});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  ASSERT_TRUE(std::regex_search(second.out, m, summary)) << second.out;
  EXPECT_EQ(m[1].str(), "0");
}

TEST(MigrateCommand, ExitsWithAConfigErrorWithoutADatabaseUrl) {
  const CliResult r = RunCli({"migrate"}, {});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("ONBOARD_DATABASE_URL"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace onboard::testsupport
