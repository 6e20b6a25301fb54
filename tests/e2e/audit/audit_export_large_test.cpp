// An export of a large generated history (150,000 events) streams in bounded memory: the
// service's peak RSS grows by far less than the size of the CSV it sent.

#include <chrono>
#include <fstream>
#include <iostream>

#include "audit_fixture.hpp"
#include "client_fixtures.hpp"

namespace onboard::testsupport::audit {
namespace {

constexpr int kEvents = 150000;

// VmRSS / VmHWM of a process in KiB.
int64_t StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  ADD_FAILURE() << "no " << field << " for pid " << pid;
  return 0;
}

// Appends `n` valid chain events with multi-row INSERTs (fast) after the current head.
void Generate(const std::string& url, int n) {
  auto conn = Connect(url);
  db::Result head = conn->Exec("select_audit_head");
  int64_t seq = head.rows() == 0 ? 0 : head.Int(0, 0);
  std::string prev = head.rows() == 0 ? domain::kGenesisHash : head.Str(0, 1);
  const int64_t start_us = NowUs() - static_cast<int64_t>(n) * 1000;
  constexpr int kBatch = 2000;
  for (int done = 0; done < n; done += kBatch) {
    std::string sql =
        "INSERT INTO audit_events (seq, occurred_at, actor, role, portal_user, request_id, "
        "source_ip, organisation, "
        "action, target_type, target_id, outcome, detail, prev_hash, hash) VALUES ";
    for (int i = done; i < std::min(n, done + kBatch); ++i) {
      domain::SealedAuditEvent e;
      e.seq = ++seq;
      e.occurred_at_us = start_us + static_cast<int64_t>(i) * 1000;
      e.event = Event(i % 3 == 0 ? "alice" : "portal-user-" + std::to_string(i % 17),
                      i % 3 == 0 ? "operator" : "portal", ValidOrgno(i % 50, 94000000),
                      i % 5 == 0 ? "client.create" : "client.update",
                      "00000000-0000-4000-8000-" + std::to_string(100000000000LL + i), "success",
                      R"({"changed":["redirect_uris","client_name"],"note":"generated, row )" +
                          std::to_string(i) + R"("})");
      e.prev_hash = prev;
      e.hash = domain::ComputeAuditHash(e);
      prev = e.hash;
      if (i != done) sql += ",";
      const auto& a = e.event.actor;
      sql += "(" + std::to_string(e.seq) + ", 'epoch'::timestamptz + " +
             std::to_string(e.occurred_at_us) + " * interval '1 microsecond', " +
             SqlLiteral(a.name) + ", " + SqlLiteral(a.role) + ", NULL, " +
             SqlLiteral(a.request_id) + ", " + SqlLiteral(a.source_ip) + ", " +
             SqlLiteral(e.event.organisation) + ", " + SqlLiteral(e.event.action) + ", " +
             SqlLiteral(e.event.target_type) + ", " + SqlLiteral(e.event.target_id) +
             ", 'success', " + SqlLiteral(e.event.detail_json) + ", '" + e.prev_hash + "', '" +
             e.hash + "')";
    }
    conn->ExecSimple(sql);
  }
}

TEST(AuditExportLarge, StreamsAHundredAndFiftyThousandEventsAsCsvInBoundedMemory) {
  AuditService svc;
  Generate(svc.db->url(), kEvents);
  const int64_t total = svc.db->AuditCount();
  ASSERT_GE(total, kEvents);
  svc.Start();
  // Warm up: one small export, so the pool connection and prepared statements exist.
  ASSERT_EQ(svc.AuditorGet("/v1/audit/events?format=csv&limit=10").status, 200);
  const int64_t rss_before = StatusKb(svc.api->pid(), "VmRSS");
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse r = svc.AuditorGet("/v1/audit/events?format=csv&order=oldest");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int64_t peak = StatusKb(svc.api->pid(), "VmHWM");
  ASSERT_EQ(r.status, 200) << r.status;
  EXPECT_EQ(r.Header("Transfer-Encoding"), "chunked");
  const auto lines = std::count(r.body.begin(), r.body.end(), '\n');
  EXPECT_EQ(lines, total + 1);  // header + one line per event (no detail here holds a line break)
  const int64_t body_kb = static_cast<int64_t>(r.body.size() / 1024);
  std::cerr << "[ export ] " << total << " events, " << body_kb / 1024 << " MiB CSV in " << seconds
            << " s = " << static_cast<int64_t>(static_cast<double>(total) / seconds)
            << " events/s; service RSS before " << rss_before / 1024 << " MiB, peak " << peak / 1024
            << " MiB\n";
  // The whole export is ~60 MiB; the service may grow by a small fraction of that.
  EXPECT_GT(body_kb, 40 * 1024);
  EXPECT_LT(peak - rss_before, 24 * 1024)
      << "peak RSS grew by " << (peak - rss_before) / 1024 << " MiB";
  // NDJSON of the same history streams the same way.
  const HttpResponse nd = svc.AuditorGet("/v1/audit/events?format=ndjson&actor=alice");
  EXPECT_EQ(std::count(nd.body.begin(), nd.body.end(), '\n'),
            QueryInt(svc.db->url(), "SELECT count(*) FROM audit_events WHERE actor = 'alice'"));
  EXPECT_LT(StatusKb(svc.api->pid(), "VmHWM") - rss_before, 24 * 1024);
  svc.Stop();
}

}  // namespace
}  // namespace onboard::testsupport::audit
