// Proof: GET /v1/audit/verify and `onboard-api audit verify` recompute the chain; each way
// of tampering with the table directly (as its owner, trigger disabled) is caught; signed
// checkpoints are written on demand and daily (once across instances) and make a deleted
// newest event detectable; retention prunes only behind a prune checkpoint, and ordinary
// UPDATE/DELETE stay refused.

#include <Poco/JSON/Parser.h>

#include <thread>

#include "audit_fixture.hpp"
#include "crypto.hpp"
#include "signer.hpp"

#include <sys/stat.h>

namespace onboard::testsupport::audit {
namespace {

struct KeyedService {
  std::string dir = TempDir();
  std::string key = dir + "/checkpoint.pem";
  AuditService svc;
  std::map<std::string, std::string> env;

  explicit KeyedService(std::map<std::string, std::string> extra = {}) {
    WriteSigningKey(key);
    env = {{"ONBOARD_AUDIT_CHECKPOINT_KEY_FILE", key}, {"ONBOARD_AUDIT_CHECKPOINT_DAILY", "false"}};
    for (auto& [k, v] : extra) env[k] = v;
  }
  void AddEvents(int n) {
    auto conn = svc.db->Connect();
    for (int i = 0; i < n; ++i) {
      AppendAt(*conn, Event("alice", "operator", "", "client.update", "c-" + std::to_string(i),
                            "success", R"({"i":)" + std::to_string(i) + "}"));
    }
  }
  HttpResponse Verify(const std::string& query = "") const {
    return svc.AuditorGet("/v1/audit/verify" + query);
  }
  HttpResponse Checkpoint() const {
    return svc.http->Post("/v1/audit/checkpoints", "{}", Bearer(svc.auditor.secret));
  }
  CliResult Cli(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"audit", "verify"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args, {{"ONBOARD_DATABASE_URL", svc.db->url()},
                         {"ONBOARD_AUDIT_CHECKPOINT_KEY_FILE", key}});
  }
  void Tamper(const std::string& sql) const {
    ExecSql(svc.db->url(),
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; " + sql +
                "; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
  }
  int64_t Count() const { return svc.db->AuditCount(); }
};

void ExpectBrokenAt(const KeyedService& k, int64_t seq, const std::string& reason_part) {
  const HttpResponse r = k.Verify();
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_FALSE(r.json->getValue<bool>("intact")) << r.body;
  EXPECT_EQ(r.json->getValue<int64_t>("broken_seq"), seq) << r.body;
  EXPECT_NE(r.json->getValue<std::string>("reason").find(reason_part), std::string::npos) << r.body;
  const CliResult cli = k.Cli();
  EXPECT_EQ(cli.exit_code, 1) << cli.err;
  Poco::JSON::Parser parser;
  auto out = parser.parse(cli.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_FALSE(out->getValue<bool>("intact"));
  EXPECT_EQ(out->getValue<int64_t>("broken_seq"), seq) << cli.out;
  EXPECT_EQ(out->getValue<std::string>("reason"), r.json->getValue<std::string>("reason"));
}

TEST(AuditProof, AnUntouchedChainIsIntactOverHttpAndTheCli) {
  KeyedService k;
  k.AddEvents(5);
  k.svc.Start(k.env);
  ASSERT_EQ(k.Checkpoint().status, 201);
  const int64_t total = k.Count();
  const HttpResponse r = k.Verify();
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json->getValue<bool>("intact")) << r.body;
  EXPECT_EQ(r.json->getValue<int64_t>("checked"), total);
  EXPECT_EQ(r.json->getValue<int64_t>("first_seq"), 1);
  EXPECT_EQ(r.json->getValue<int64_t>("last_seq"), total);
  EXPECT_EQ(r.json->getValue<int64_t>("checkpoints_checked"), 1);
  const CliResult cli = k.Cli();
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("\"intact\":true"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("\"checked\":" + std::to_string(total)), std::string::npos) << cli.out;
  k.svc.Stop();
}

TEST(AuditProof, VerifiesASeqRangeAndATimeRange) {
  KeyedService k;
  k.AddEvents(3);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int64_t t = NowUs();
  k.AddEvents(4);
  k.svc.Start(k.env);
  const int64_t base = k.Count() - 7;
  HttpResponse r =
      k.Verify("?from=" + std::to_string(base + 2) + "&to=" + std::to_string(base + 5));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json->getValue<bool>("intact"));
  EXPECT_EQ(r.json->getValue<int64_t>("checked"), 4);
  r = k.Verify("?from=" + Enc(domain::Rfc3339FromMicros(t)));
  EXPECT_TRUE(r.json->getValue<bool>("intact")) << r.body;
  EXPECT_EQ(r.json->getValue<int64_t>("first_seq"), base + 4) << r.body;
  EXPECT_EQ(r.json->getValue<int64_t>("checked"), 4) << r.body;
  const CliResult cli = k.Cli({"--from", domain::Rfc3339FromMicros(t)});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("\"checked\":4"), std::string::npos) << cli.out;
  EXPECT_EQ(k.Verify("?from=soon").status, 400);
  k.svc.Stop();
}

TEST(AuditProof, CatchesAnUpdatedDetailWithExpectedAndFoundHash) {
  KeyedService k;
  k.AddEvents(6);
  k.svc.Start(k.env);
  const int64_t seq = k.Count() - 2;
  const std::string stored = *QueryScalar(
      k.svc.db->url(), "SELECT hash FROM audit_events WHERE seq = " + std::to_string(seq));
  k.Tamper("UPDATE audit_events SET detail = '{\"i\":99}' WHERE seq = " + std::to_string(seq));
  ExpectBrokenAt(k, seq, "content");
  const HttpResponse r = k.Verify();
  EXPECT_EQ(r.json->getValue<std::string>("found_hash"), stored);
  EXPECT_NE(r.json->getValue<std::string>("expected_hash"), stored);
  EXPECT_EQ(r.json->getValue<std::string>("expected_hash").size(), 64u);
  k.svc.Stop();
}

TEST(AuditProof, CatchesADeletedRow) {
  KeyedService k;
  k.AddEvents(6);
  k.svc.Start(k.env);
  const int64_t seq = k.Count() - 3;
  k.Tamper("DELETE FROM audit_events WHERE seq = " + std::to_string(seq));
  ExpectBrokenAt(k, seq + 1, "gap");
  k.svc.Stop();
}

TEST(AuditProof, CatchesAnInsertedRowEvenWithACorrectlyComputedHash) {
  KeyedService k;
  k.AddEvents(6);
  k.svc.Start(k.env);
  const int64_t at = k.Count() - 3;  // the forged row goes in after this one
  // Make room (shift later rows up by one), then insert a row whose own link and hash are right.
  k.Tamper("UPDATE audit_events SET seq = -seq WHERE seq > " + std::to_string(at) +
           "; UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0");
  {
    auto conn = k.svc.db->Connect();
    domain::SealedAuditEvent forged;
    forged.seq = at + 1;
    forged.occurred_at_us = NowUs();
    forged.event = Event("mallory", "operator", "", "token.create", "t-1");
    forged.prev_hash = *QueryScalar(
        k.svc.db->url(), "SELECT hash FROM audit_events WHERE seq = " + std::to_string(at));
    forged.hash = domain::ComputeAuditHash(forged);
    const auto& a = forged.event.actor;
    conn->Exec("insert_audit_event",
               {std::to_string(forged.seq), std::to_string(forged.occurred_at_us), a.name, a.role,
                std::nullopt, a.request_id, a.source_ip, std::nullopt, forged.event.action,
                forged.event.target_type, forged.event.target_id, "success", "{}", forged.prev_hash,
                forged.hash});
  }
  ExpectBrokenAt(k, at + 2, "hash");
  k.svc.Stop();
}

TEST(AuditProof, CatchesReorderedRows) {
  KeyedService k;
  k.AddEvents(6);
  k.svc.Start(k.env);
  const int64_t a = k.Count() - 3, b = a + 1;
  k.Tamper("UPDATE audit_events SET seq = -1 WHERE seq = " + std::to_string(a) +
           "; UPDATE audit_events SET seq = " + std::to_string(a) +
           " WHERE seq = " + std::to_string(b) +
           "; UPDATE audit_events SET seq = " + std::to_string(b) + " WHERE seq = -1");
  ExpectBrokenAt(k, a, "prev_hash");
  k.svc.Stop();
}

TEST(AuditProof, ADeletedNewestEventIsCaughtByTheLastCheckpoint) {
  KeyedService k;
  k.AddEvents(4);
  k.svc.Start(k.env);
  const HttpResponse cp = k.Checkpoint();
  ASSERT_EQ(cp.status, 201) << cp.Describe();
  const int64_t covered = cp.json->getValue<int64_t>("seq");
  // Everything from the checkpointed head on disappears, leaving a chain that links perfectly.
  k.Tamper("DELETE FROM audit_events WHERE seq >= " + std::to_string(covered));
  ExpectBrokenAt(k, covered, "removed");
  k.svc.Stop();
}

TEST(AuditProof, CatchesAForgedCheckpoint) {
  KeyedService k;
  k.AddEvents(2);
  k.svc.Start(k.env);
  ASSERT_EQ(k.Checkpoint().status, 201);
  ExecSql(k.svc.db->url(),
          "ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_immutable; "
          "UPDATE audit_checkpoints SET signature = replace(signature, substr(signature, 5, 1), "
          "CASE WHEN substr(signature, 5, 1) = 'A' THEN 'B' ELSE 'A' END); "
          "ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_immutable");
  const HttpResponse r = k.Verify();
  EXPECT_FALSE(r.json->getValue<bool>("intact")) << r.body;
  EXPECT_NE(r.json->getValue<std::string>("reason").find("signature"), std::string::npos) << r.body;
  k.svc.Stop();
}

TEST(AuditProof, OrdinaryUpdateAndDeleteAreStillRefused) {
  KeyedService k;
  k.AddEvents(3);
  for (const std::string sql :
       {"UPDATE audit_events SET outcome = 'x' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1", "TRUNCATE audit_events",
        // The prune marker alone does not open the door: no prune checkpoint anchors seq 1.
        "SELECT set_config('onboard.audit_prune_through', '1', false); DELETE FROM audit_events "
        "WHERE seq = 1",
        "SELECT audit_prune(1)"}) {
    EXPECT_THROW(ExecSql(k.svc.db->url(), sql), std::exception) << sql;
  }
  EXPECT_EQ(k.Count(), QueryInt(k.svc.db->url(), "SELECT max(seq) FROM audit_events"));
}

// Checkpoints ---------------------------------------------------------------------------

TEST(AuditCheckpoints, OnDemandCheckpointIsSignedAndListedWithThePublicKey) {
  KeyedService k;
  k.AddEvents(2);
  k.svc.Start(k.env);
  const int64_t head = k.Count();
  const HttpResponse made = k.Checkpoint();
  ASSERT_EQ(made.status, 201) << made.Describe();
  EXPECT_EQ(made.json->getValue<int64_t>("seq"), head);
  EXPECT_EQ(made.json->getValue<int64_t>("event_count"), head);
  EXPECT_EQ(made.json->getValue<std::string>("kind"), "on_demand");
  EXPECT_EQ(made.json->getValue<std::string>("head_hash"),
            *QueryScalar(k.svc.db->url(),
                         "SELECT hash FROM audit_events WHERE seq = " + std::to_string(head)));
  const HttpResponse list = k.svc.AuditorGet("/v1/audit/checkpoints");
  ASSERT_EQ(list.status, 200) << list.Describe();
  auto key = list.json->getObject("public_key");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->getValue<std::string>("algorithm"), "ed25519");
  auto item = list.json->getArray("items")->getObject(0);
  EXPECT_EQ(item->getValue<int64_t>("id"), made.json->getValue<int64_t>("id"));
  // An outside party checks the signature with nothing but the listed public key.
  EXPECT_TRUE(crypto::VerifySignature(
      key->getValue<std::string>("public_key_pem"), item->getValue<std::string>("algorithm"),
      item->getValue<std::string>("payload"),
      crypto::Base64UrlDecode(item->getValue<std::string>("signature"))));
  EXPECT_FALSE(
      crypto::VerifySignature(key->getValue<std::string>("public_key_pem"), "ed25519",
                              item->getValue<std::string>("payload") + "x",
                              crypto::Base64UrlDecode(item->getValue<std::string>("signature"))));
  EXPECT_NE(item->getValue<std::string>("payload").find(
                "head_hash=" + made.json->getValue<std::string>("head_hash")),
            std::string::npos);
  // The checkpoint itself is an audited action.
  EXPECT_EQ(QueryInt(k.svc.db->url(),
                     "SELECT count(*) FROM audit_events WHERE action = 'audit.checkpoint'"),
            1);
  k.svc.Stop();
}

TEST(AuditCheckpoints, WithoutAKeyOnDemandCheckpointsAreAConflict) {
  AuditService svc;
  svc.Start();
  const HttpResponse r = svc.http->Post("/v1/audit/checkpoints", "{}", Bearer(svc.op.secret));
  EXPECT_EQ(r.status, 409) << r.Describe();
  ASSERT_TRUE(r.json);
  EXPECT_EQ(r.json->getValue<std::string>("code"), "checkpoint_key_missing");
  EXPECT_TRUE(svc.AuditorGet("/v1/audit/checkpoints").json->isNull("public_key"));
  svc.Stop();
}

TEST(AuditCheckpoints, ServeRefusesAKeyFileOthersCanRead) {
  KeyedService k;
  ::chmod(k.key.c_str(), 0644);
  const CliResult r = RunCli({"serve"}, {{"ONBOARD_DATABASE_URL", k.svc.db->url()},
                                         {"ONBOARD_SECRETS_PEPPER", kTestPepper},
                                         {"ONBOARD_HTTP_PORT", "0"},
                                         {"ONBOARD_AUDIT_CHECKPOINT_KEY_FILE", k.key}});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_NE(r.err.find("audit.checkpoint_key_file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST(AuditCheckpoints, TwoInstancesWriteOneDailyCheckpoint) {
  KeyedService k(std::map<std::string, std::string>{{"ONBOARD_AUDIT_MAINTENANCE_INTERVAL_S", "1"},
                                                    {"ONBOARD_AUDIT_CHECKPOINT_DAILY", "true"}});
  k.AddEvents(2);
  k.svc.Start(k.env);
  ApiProcess second(k.svc.db->url(), k.env);
  const std::string url = k.svc.db->url();
  ASSERT_TRUE(WaitUntil(
      [&] {
        return QueryInt(url, "SELECT count(*) FROM audit_checkpoints WHERE kind = 'daily'") > 0;
      },
      30s, 100ms));
  std::this_thread::sleep_for(3s);  // both instances have looked again meanwhile
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_checkpoints WHERE kind = 'daily'"), 1);
  EXPECT_EQ(*QueryScalar(url, "SELECT day::text FROM audit_checkpoints WHERE kind = 'daily'"),
            domain::Rfc3339FromMicros(NowUs()).substr(0, 10));
  EXPECT_TRUE(k.Verify().json->getValue<bool>("intact"));
  EXPECT_EQ(second.Terminate(), 0);
  k.svc.Stop();
}

// Retention -----------------------------------------------------------------------------

TEST(AuditRetention, PrunesOldEventsBehindAPruneCheckpointAndTheChainStaysVerifiable) {
  KeyedService k(std::map<std::string, std::string>{{"ONBOARD_AUDIT_RETENTION_DAYS", "30"},
                                                    {"ONBOARD_AUDIT_MAINTENANCE_INTERVAL_S", "1"}});
  const std::string url = k.svc.db->url();
  // The fixture's token events are "now"; put an old history before them by rebuilding the
  // chain: old events first, then the tokens' events re-linked after them.
  ExecSql(url,
          "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; DELETE FROM "
          "audit_events; "
          "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
  auto conn = k.svc.db->Connect();
  const int64_t day = 86400LL * 1000000;
  for (int i = 0; i < 5; ++i)
    AppendAt(*conn, Event("old", "operator", "", "client.update", "c"), NowUs() - (60 - i) * day);
  const int64_t last_old = 5;
  for (int i = 0; i < 3; ++i)
    AppendAt(*conn, Event("recent", "operator", "", "client.update", "c"), NowUs() - i * 1000);
  k.svc.Start(k.env);
  ASSERT_TRUE(WaitUntil(
      [&] { return QueryInt(url, "SELECT count(*) FROM audit_events WHERE actor = 'old'") == 0; },
      30s, 100ms))
      << k.svc.api->log();
  EXPECT_EQ(QueryInt(url, "SELECT min(seq) FROM audit_events"), last_old + 1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_checkpoints WHERE kind = 'prune' AND seq = " +
                              std::to_string(last_old)),
            1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_events WHERE action = 'audit.prune'"), 1);
  const HttpResponse r = k.Verify();
  EXPECT_TRUE(r.json->getValue<bool>("intact")) << r.body;
  EXPECT_EQ(r.json->getValue<int64_t>("pruned_through"), last_old);
  EXPECT_EQ(r.json->getValue<int64_t>("first_seq"), last_old + 1);
  const CliResult cli = k.Cli();
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  // Recent events are kept, and the prune path opens for nothing else.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_events WHERE actor = 'recent'"), 3);
  EXPECT_THROW(ExecSql(url, "DELETE FROM audit_events WHERE actor = 'recent'"), std::exception);
  EXPECT_THROW(ExecSql(url, "UPDATE audit_events SET detail = '{}' WHERE actor = 'recent'"),
               std::exception);
  EXPECT_THROW(ExecSql(url, "SELECT audit_prune(" + std::to_string(last_old + 2) + ")"),
               std::exception);
  EXPECT_THROW(
      ExecSql(url, "SELECT set_config('onboard.audit_prune_through', '" + std::to_string(last_old) +
                       "', false); DELETE FROM audit_events WHERE actor = 'recent'"),
      std::exception);
  // The prefix cannot be hidden either: without its prune checkpoint the first event is unanchored.
  ExecSql(url,
          "ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_immutable; "
          "DELETE FROM audit_checkpoints WHERE kind = 'prune'; "
          "ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_immutable");
  const HttpResponse after = k.Verify();
  EXPECT_FALSE(after.json->getValue<bool>("intact")) << after.body;
  EXPECT_EQ(after.json->getValue<int64_t>("broken_seq"), last_old + 1);
  k.svc.Stop();
}

TEST(AuditRetention, NeedsACheckpointKey) {
  AuditService svc;
  const CliResult r = RunCli({"serve"}, {{"ONBOARD_DATABASE_URL", svc.db->url()},
                                         {"ONBOARD_SECRETS_PEPPER", kTestPepper},
                                         {"ONBOARD_AUDIT_RETENTION_DAYS", "30"}});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_NE(r.err.find("audit.retention_days"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace onboard::testsupport::audit
