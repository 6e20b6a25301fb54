// The export benchmark's audit fixture (bench/audit_fixture.cpp) extends the real chain:
// events the service sealed before it, the fixture's, and events sealed after it verify as
// one intact chain, with the service's own verifier and its CLI.

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "integration_helpers.hpp"

namespace onboard::testsupport {
namespace {

class BenchAuditFixture : public DatabaseTest {
 protected:
  void Append(int n) {
    auto conn = db_->Connect();
    for (int i = 0; i < n; ++i) {
      db::PgUnitOfWork unit(*conn);
      unit.Record(Event("test.event", std::to_string(i)));
      unit.Commit();
    }
  }
  // Runs the fixture; returns its stdout ("first_seq last_seq") and sets `status`.
  std::string RunFixture(int count, int& status) {
    const char* bin = std::getenv("ONBOARD_BENCH_AUDIT_FIXTURE_BIN");
    if (bin == nullptr || *bin == '\0') {
      ADD_FAILURE()
          << "ONBOARD_BENCH_AUDIT_FIXTURE_BIN is not set (the bench audit fixture was not built)";
      status = -1;
      return "";
    }
    const std::string cmd = std::string(bin) + " '" + db_->url() + "' " + std::to_string(count);
    struct Closer {
      void operator()(FILE* f) const noexcept { pclose(f); }
    };
    FILE* raw = popen(cmd.c_str(), "r");
    if (raw == nullptr) {
      ADD_FAILURE() << "cannot run " << bin;
      status = -1;
      return "";
    }
    std::string out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, raw) != nullptr) out += buf;
    status = pclose(raw);
    return out;
  }
};

TEST_F(BenchAuditFixture, ContinuesTheSealedChainSoThatVerifyFindsItIntact) {
  Append(3);
  int status = 0;
  const std::string printed = RunFixture(2500, status);
  ASSERT_EQ(status, 0) << printed;
  EXPECT_EQ(printed, "4 2503\n");
  Append(2);  // the service's sealer goes on from the fixture's head

  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 2505);
  EXPECT_EQ(
      QueryInt(db_->url(),
               "SELECT count(DISTINCT action) FROM audit_events WHERE seq BETWEEN 4 AND 2503"),
      4);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_events WHERE occurred_at > now()"), 0);

  const CliResult r = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", db_->url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Poco::JSON::Parser parser;
  const auto out = parser.parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(out->getValue<bool>("intact"));
  EXPECT_EQ(out->getValue<int>("last_seq"), 2505);
}

TEST_F(BenchAuditFixture, StartsAnEmptyChainFromTheGenesisHash) {
  int status = 0;
  const std::string printed = RunFixture(10, status);
  ASSERT_EQ(status, 0) << printed;
  EXPECT_EQ(printed, "1 10\n");
  EXPECT_EQ(
      QueryScalar(db_->url(), "SELECT prev_hash FROM audit_events WHERE seq = 1").value_or(""),
      domain::kGenesisHash);
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 10);
}

}  // namespace
}  // namespace onboard::testsupport
