#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <future>
#include <vector>

#include "pool.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"
#include "integration_helpers.hpp"

namespace onboard::testsupport {
namespace {

class AuditChain : public DatabaseTest {
 protected:
  // Appends `n` events, each in its own committed transaction.
  void Append(int n, db::Connection& conn) {
    for (int i = 0; i < n; ++i) {
      db::PgUnitOfWork unit(conn);
      unit.Record(Event("test.event", std::to_string(i)));
      unit.Commit();
    }
  }
  void Append(int n) {
    auto conn = db_->Connect();
    Append(n, *conn);
  }
  // Runs SQL on audit_events with the append-only trigger off, as a table owner or
  // superuser could (the tampering the chain exists to detect).
  void Tamper(const std::string& sql) {
    ExecSql(db_->url(),
            "BEGIN; ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; " + sql +
                "; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only; COMMIT");
  }
  std::string RefusalOf(const std::string& sql) {
    try {
      ExecSql(db_->url(), sql);
    } catch (const AppError& e) {
      return e.internal();
    }
    return "(accepted)";
  }
};

TEST_F(AuditChain, LinksEveryEventToThePreviousOneFromTheGenesisHash) {
  Append(3);
  auto conn = db_->Connect();
  db::Result r = conn->ExecSimple("SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq");
  ASSERT_EQ(r.rows(), 3);
  EXPECT_EQ(r.Str(0, 0), "1");
  EXPECT_EQ(r.Str(0, 1), domain::kGenesisHash);
  EXPECT_EQ(r.Str(1, 1), r.Str(0, 2));
  EXPECT_EQ(r.Str(2, 1), r.Str(1, 2));
  const auto v = db::VerifyAuditChain(*conn);
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 3);
  EXPECT_EQ(v.first_seq, 1);
  EXPECT_EQ(v.last_seq, 3);
}

TEST_F(AuditChain, SealsTheEventAsStoredWhenItsTransactionCommits) {
  auto conn = db_->Connect();
  db::PgUnitOfWork unit(*conn);
  unit.Tx();
  auto e = Event("organisation.create", "974760673", "974760673");
  e.actor.portal_user = "kari";
  unit.Record(e);
  EXPECT_EQ(db_->AuditCount(), 0);  // recorded in the open unit, not yet in the chain
  unit.Commit();
  EXPECT_EQ(db_->AuditCount(), 1);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_queue"), 0);
  db::Result r = conn->Exec("select_audit_events_range", {"0", std::nullopt, "10"});
  ASSERT_EQ(r.rows(), 1);
  const auto sealed = db::SealedEventFromRow(r, 0);
  EXPECT_EQ(sealed.seq, 1);
  EXPECT_EQ(sealed.prev_hash, domain::kGenesisHash);
  EXPECT_EQ(sealed.hash, domain::ComputeAuditHash(sealed));
  EXPECT_EQ(sealed.event.actor.portal_user, "kari");
  EXPECT_EQ(sealed.event.action, "organisation.create");
}

// The hash the server computes when it seals (audit_seal_queue, migration 0015) is the one
// the service recomputes: byte lengths of multi-byte UTF-8, empty and absent fields.
TEST_F(AuditChain, TheSealsHashIsTheServicesOwnForMultiByteTextAndEmptyFields) {
  auto conn = db_->Connect();
  db::PgUnitOfWork unit(*conn);
  auto e = Event("client.update", "Blåbær & søt 😀 \"quoted\"");
  e.actor.name = "Kari Nordmann – drift";
  e.actor.portal_user = "";
  e.organisation = "";
  e.detail_json = R"({"note":"æøå ÆØÅ 😀","empty":"","nested":{"a":[1,2]}})";
  unit.Record(e);
  unit.Commit();
  db::Result r = conn->Exec("select_audit_events_range", {"0", std::nullopt, "10"});
  ASSERT_EQ(r.rows(), 1);
  const auto sealed = db::SealedEventFromRow(r, 0);
  EXPECT_EQ(sealed.event.target_id, "Blåbær & søt 😀 \"quoted\"");
  EXPECT_EQ(sealed.hash, domain::ComputeAuditHash(sealed));
  const auto v = db::VerifyAuditChain(*conn);
  EXPECT_TRUE(v.intact) << v.reason;
}

// A commit seals the rows it queued, found by key; rows someone else left in the queue
// (an instance killed between its commit and its seal) wait for the sweep, which scans.
TEST_F(AuditChain, ACommitSealsItsOwnEventsByKeyAndLeavesOthersToTheSweep) {
  ExecSql(db_->url(),
          "INSERT INTO audit_queue (occurred_at_us, actor, role, action, target_type, target_id, "
          "outcome, detail) "
          "VALUES (1764590000000000, 'crashed', 'system', 'left.behind', 'x', 'left', 'success', "
          "'{}')");
  Append(2);
  auto conn = db_->Connect();
  EXPECT_EQ(db_->AuditCount(), 2);
  EXPECT_EQ(db::QueuedAuditEvents(*conn), 1);
  EXPECT_EQ(db::SealAuditQueue(*conn), 1);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT target_id FROM audit_events WHERE seq = 3"), "left");
  const auto v = db::VerifyAuditChain(*conn);
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 3);
}

// A rolled-back transaction's queued row is gone; the next commit on the same thread
// seals its own event only and the chain stays whole.
TEST_F(AuditChain, ARolledBackEventIsNeitherSealedNorInTheWayOfTheNextCommit) {
  auto conn = db_->Connect();
  {
    db::PgUnitOfWork unit(*conn);
    unit.Tx();
    unit.Record(Event("rolled.back", "r"));
  }
  Append(1, *conn);
  EXPECT_EQ(db_->AuditCount(), 1);
  EXPECT_EQ(db::QueuedAuditEvents(*conn), 0);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_events WHERE action = 'rolled.back'"),
            0);
  EXPECT_TRUE(db::VerifyAuditChain(*conn).intact);
}

// Events committed while no seal ran (a process killed between its commit and its seal)
// wait in the queue and are sealed, in order, by the sweep (SealAuditQueue).
TEST_F(AuditChain, SealsEventsLeftInTheQueueByACrashedWriter) {
  Append(1);
  ExecSql(
      db_->url(),
      "INSERT INTO audit_queue (occurred_at_us, actor, role, action, target_type, target_id, "
      "outcome, detail) "
      "VALUES (1764590000000000, 'crashed', 'system', 'left.behind', 'x', '1', 'success', '{}'), "
      "(1764590000000001, 'crashed', 'system', 'left.behind', 'x', '2', 'success', '{}')");
  auto conn = db_->Connect();
  EXPECT_EQ(db::QueuedAuditEvents(*conn), 2);
  EXPECT_EQ(db::SealAuditQueue(*conn), 2);
  EXPECT_EQ(db::QueuedAuditEvents(*conn), 0);
  EXPECT_EQ(
      QueryScalar(db_->url(),
                  "SELECT string_agg(target_id, ',' ORDER BY seq) FROM audit_events WHERE seq > 1"),
      "1,2");
  const auto v = db::VerifyAuditChain(*conn);
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 3);
}

// Two pools (two instances) writing at once build one chain without gaps or forks.
TEST_F(AuditChain, ConcurrentWritersOfTwoPoolsBuildOneIntactChain) {
  db::Pool a(db_->url(), 4, 5000, 5), b(db_->url(), 4, 5000, 5);
  std::vector<std::future<void>> writers;
  for (int t = 0; t < 8; ++t) {
    db::Pool& pool = t % 2 == 0 ? a : b;
    writers.push_back(std::async(std::launch::async, [&pool, t] {
      for (int i = 0; i < 25; ++i) {
        db::PgUnitOfWork unit(pool);
        unit.Record(Event("test.event", std::to_string(t) + "-" + std::to_string(i)));
        unit.Commit();
      }
    }));
  }
  for (auto& w : writers) w.get();
  EXPECT_EQ(db_->AuditCount(), 200);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_queue"), 0);
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 200);
}

TEST_F(AuditChain, VerifiesAnEmptyChainAsIntact) {
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.checked, 0);
}

TEST_F(AuditChain, VerifiesALongChainAcrossBatchBoundaries) {
  // VerifyAuditChain reads 2000 rows per batch; write rows directly (with a valid chain)
  // past that boundary through the real append path in one transaction for speed.
  auto conn = db_->Connect();
  db::PgUnitOfWork unit(*conn);
  for (int i = 0; i < 2100; ++i) unit.Record(Event("bulk", std::to_string(i)));
  unit.Commit();
  const auto v = db::VerifyAuditChain(*conn);
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 2100);
}

TEST_F(AuditChain, RefusesUpdateDeleteAndTruncate) {
  Append(2);
  EXPECT_NE(
      RefusalOf("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1").find("append-only"),
      std::string::npos);
  EXPECT_NE(RefusalOf("DELETE FROM audit_events WHERE seq = 2").find("append-only"),
            std::string::npos);
  EXPECT_NE(RefusalOf("TRUNCATE audit_events").find("append-only"), std::string::npos);
  EXPECT_EQ(db_->AuditCount(), 2);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT actor FROM audit_events WHERE seq = 1"),
            "integration-test");
}

TEST_F(AuditChain, RefusesAnAppendOutsideATransaction) {
  auto conn = db_->Connect();
  try {
    db::QueueAuditEvent(*conn, Event("test.event"));
    FAIL() << "appended outside a transaction";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(e.internal().find("outside a transaction"), std::string::npos);
  }
  EXPECT_EQ(db_->AuditCount(), 0);
}

TEST_F(AuditChain, KeepsNoEventOfARolledBackTransaction) {
  auto conn = db_->Connect();
  {
    db::PgUnitOfWork unit(*conn);
    unit.Tx();
    unit.Record(Event("test.event"));
  }
  EXPECT_EQ(db_->AuditCount(), 0);
  Append(1, *conn);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT seq FROM audit_events"), "1");
}

// The unit's after-commit hooks run once its events are sealed, and never for a unit that
// rolled back (the provider snapshot and token cache must not forget a change that never
// happened, nor miss one that did).
TEST_F(AuditChain, AUnitRunsItsHooksAfterItsEventsAreSealedAndNeverOnRollback) {
  auto conn = db_->Connect();
  int64_t sealed_when_hook_ran = -1;
  {
    db::PgUnitOfWork unit(*conn);
    unit.Record(Event("rolled.back"));
    unit.AfterCommit([&] { sealed_when_hook_ran = 0; });
    unit.Tx();
  }
  EXPECT_EQ(sealed_when_hook_ran, -1);
  db::PgUnitOfWork unit(*conn);
  unit.Record(Event("test.event"));
  unit.AfterCommit([&] { sealed_when_hook_ran = db_->AuditCount(); });
  unit.AfterCommit([] { throw std::runtime_error("a failing hook"); });
  EXPECT_NO_THROW(unit.Commit());
  EXPECT_EQ(sealed_when_hook_ran, 1);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_events WHERE action = 'rolled.back'"),
            0);
}

TEST_F(AuditChain, DetectsAModifiedEvent) {
  Append(4);
  Tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.broken_seq);
  EXPECT_EQ(*v.broken_seq, 2);
  EXPECT_NE(v.reason.find("content"), std::string::npos) << v.reason;
  EXPECT_EQ(v.checked, 1);
}

TEST_F(AuditChain, DetectsAModifiedEventWhoseHashWasRecomputed) {
  Append(4);
  auto conn = db_->Connect();
  db::Result r = conn->Exec("select_audit_events_range", {"1", "2", "1"});
  ASSERT_EQ(r.rows(), 1);
  domain::SealedAuditEvent e = db::SealedEventFromRow(r, 0);
  e.event.actor.name = "mallory";
  const std::string forged = domain::ComputeAuditHash(e);
  Tamper("UPDATE audit_events SET actor = 'mallory', hash = '" + forged + "' WHERE seq = 2");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.broken_seq);
  EXPECT_EQ(*v.broken_seq, 3);
  EXPECT_NE(v.reason.find("prev_hash"), std::string::npos) << v.reason;
}

TEST_F(AuditChain, DetectsADeletedEvent) {
  Append(4);
  Tamper("DELETE FROM audit_events WHERE seq = 2");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.broken_seq);
  EXPECT_EQ(*v.broken_seq, 3);
  EXPECT_NE(v.reason.find("gap"), std::string::npos) << v.reason;
}

TEST_F(AuditChain, DetectsDeletedFirstEvents) {
  Append(3);
  Tamper("DELETE FROM audit_events WHERE seq = 1");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.broken_seq, 2);
}

TEST_F(AuditChain, DetectsTwoEventsWhoseOrderWasSwapped) {
  Append(4);
  Tamper(
      "UPDATE audit_events SET seq = -2 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = "
      "3; "
      "UPDATE audit_events SET seq = 3 WHERE seq = -2");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.broken_seq);
  EXPECT_EQ(*v.broken_seq, 2);
}

TEST_F(AuditChain, VerifiesARangeAnchoredOnThePreviousEvent) {
  Append(6);
  auto conn = db_->Connect();
  const auto v = db::VerifyAuditChain(*conn, 3, 5);
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 3);
  EXPECT_EQ(v.first_seq, 3);
  EXPECT_EQ(v.last_seq, 5);
  Tamper("UPDATE audit_events SET outcome = 'failure' WHERE seq = 4");
  EXPECT_FALSE(db::VerifyAuditChain(*conn, 3, 5).intact);
  EXPECT_TRUE(db::VerifyAuditChain(*conn, 5, 6).intact);
}

TEST_F(AuditChain, ManyConnectionsAppendingAtOnceBuildOneChain) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::future<void>> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.push_back(std::async(std::launch::async, [this] {
      auto conn = db_->Connect();
      Append(kEach, *conn);
    }));
  }
  for (auto& w : workers) w.get();
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, kThreads * kEach);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT max(seq) FROM audit_events"), kThreads * kEach);
}

Poco::JSON::Object::Ptr ParseJson(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST_F(AuditChain, VerifyCommandReportsAnIntactChainWithItsCount) {
  Append(5);
  const CliResult r = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", db_->url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto out = ParseJson(r.out);
  EXPECT_TRUE(out->getValue<bool>("intact"));
  EXPECT_EQ(out->getValue<int>("checked"), 5);
  EXPECT_EQ(out->getValue<int>("last_seq"), 5);
}

TEST_F(AuditChain, VerifyCommandExitsNonZeroAndNamesTheBrokenEvent) {
  Append(5);
  Tamper("UPDATE audit_events SET target_id = 'other' WHERE seq = 4");
  const CliResult r = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", db_->url()}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto out = ParseJson(r.out);
  EXPECT_FALSE(out->getValue<bool>("intact"));
  EXPECT_EQ(out->getValue<int>("broken_seq"), 4);
}

}  // namespace
}  // namespace onboard::testsupport
