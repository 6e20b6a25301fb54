// Appends COUNT audit events to the chain of the database at DATABASE_URL, fast, for the
// export benchmark (ops/bench --only export). The events extend the chain exactly as the
// service's sealer does: under the chain's advisory lock, from the head it reads after
// taking the lock, each hash computed by domain::ComputeAuditHash over the canonical
// encoding, so `onboard-api audit verify` and GET /v1/audit/verify find the chain intact.
// Rows go in with one COPY in one transaction (about 1 s per 100,000 events).
//
// Usage: onboard_bench_audit_fixture DATABASE_URL COUNT
// Prints `first_seq last_seq` of the events it appended.

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "audit_event.hpp"
#include "audit_export.hpp"
#include "audit_store.hpp"

namespace {

using onboard::domain::SealedAuditEvent;

struct ConnCloser {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

[[noreturn]] void Fail(const std::string& what, PGconn* conn) {
  std::cerr << "onboard_bench_audit_fixture: " << what
            << (conn ? std::string(": ") + PQerrorMessage(conn) : "") << "\n";
  std::exit(1);
}

ResultPtr Exec(PGconn* conn, const std::string& sql, ExecStatusType want) {
  ResultPtr r(PQexec(conn, sql.c_str()));
  if (!r || PQresultStatus(r.get()) != want) Fail(sql, conn);
  return r;
}

// COPY text format: backslash, tab, newline and carriage return are escaped; an empty
// optional column is NULL (the sealer stores NULL for an empty portal user and reads it
// back as "", which is what the hash covers).
void AppendCopyField(std::string& out, std::string_view v, bool null_if_empty) {
  if (null_if_empty && v.empty()) {
    out += "\\N";
    return;
  }
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

// A plausible mix of what the service writes: who, what, and a detail object of the
// usual size (commas and quotes, so the CSV export quotes the cell as it does for real).
void Describe(int64_t i, SealedAuditEvent& e) {
  static constexpr const char* kOrgs[] = {"974760673", "991825827", "889640782", "923609016"};
  char id[40];
  std::snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-8%03llx-%012llx",
                static_cast<unsigned long long>(i & 0xffffffff),
                static_cast<unsigned long long>((i >> 3) & 0xffff),
                static_cast<unsigned long long>(i % 0xfff),
                static_cast<unsigned long long>((i * 7) % 0xfff),
                static_cast<unsigned long long>(i * 2654435761ULL & 0xffffffffffffULL));
  const std::string org = kOrgs[i % 4];
  e.event.actor.name = i % 3 == 0 ? "selvbetjening" : "operator-kari";
  e.event.actor.role = i % 3 == 0 ? "portal" : "operator";
  e.event.actor.portal_user = i % 3 == 0 ? "ola.nordmann@example.no" : "";
  e.event.actor.request_id = std::string("req-") + id;
  e.event.actor.source_ip =
      "10.20." + std::to_string((i >> 8) & 0xff) + "." + std::to_string(i & 0xff);
  e.event.organisation = org;
  e.event.target_type = "client";
  e.event.target_id = id;
  e.event.outcome = "success";
  switch (i % 4) {
    case 0:
      e.event.action = "client.create";
      e.event.detail_json =
          std::string(
              R"({"environment":"test","integration_type":"idporten","client_name":"Benchmark client )") +
          std::to_string(i) +
          R"(","scopes":["openid","profile"],"redirect_uris":["https://app.example.no/callback"]})";
      break;
    case 1:
      e.event.action = "client.update";
      e.event.detail_json =
          R"({"version":2,"changes":[{"field":"redirect_uris","from":["https://app.example.no/callback"],"to":["https://app.example.no/cb"]}]})";
      break;
    case 2:
      e.event.action = "client.secret_issue";
      e.event.detail_json =
          std::string(R"({"secret_id":")") + id +
          R"(","secret_prefix":"k3Jd","secret_expires_at":"2027-12-01T14:00:00.000000Z","shown_once":true})";
      break;
    default:
      e.event.action = "provider.client_read";
      e.event.outcome = i % 8 == 3 ? "denied" : "success";
      e.event.detail_json =
          R"({"environment":"production","etag":"W/\"3\"","reason":"runtime configuration"})";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " DATABASE_URL COUNT\n";
    return 64;
  }
  const long long count = std::stoll(argv[2]);
  if (count < 1) Fail("COUNT must be positive", nullptr);
  ConnPtr conn(PQconnectdb(argv[1]));
  if (PQstatus(conn.get()) != CONNECTION_OK) Fail("cannot connect", conn.get());
  PGconn* c = conn.get();

  Exec(c, "BEGIN", PGRES_COMMAND_OK);
  Exec(c, "SELECT pg_advisory_xact_lock(" + std::to_string(onboard::db::kAuditChainLock) + ")",
       PGRES_TUPLES_OK);
  // The head after the lock, as the sealer reads it; times run from the head's time to
  // now (never into the future, never before the event they follow).
  ResultPtr head(Exec(c,
                      "SELECT seq, hash, (extract(epoch FROM occurred_at) * 1000000)::bigint "
                      "FROM audit_events ORDER BY seq DESC LIMIT 1",
                      PGRES_TUPLES_OK));
  int64_t seq = 0;
  std::string prev = onboard::domain::kGenesisHash;
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  int64_t first_us = now_us - count;
  if (PQntuples(head.get()) == 1) {
    seq = std::stoll(PQgetvalue(head.get(), 0, 0));
    prev = PQgetvalue(head.get(), 0, 1);
    first_us = std::max(first_us, static_cast<int64_t>(std::stoll(PQgetvalue(head.get(), 0, 2))));
  }
  const int64_t span = std::max<int64_t>(0, now_us - first_us);

  Exec(c,
       "COPY audit_events (seq, occurred_at, actor, role, portal_user, request_id, source_ip, "
       "organisation, action, "
       "target_type, target_id, outcome, detail, prev_hash, hash) FROM STDIN",
       PGRES_COPY_IN);
  const int64_t first_seq = seq + 1;
  std::string buf;
  buf.reserve(1 << 20);
  SealedAuditEvent e;
  for (long long i = 0; i < count; ++i) {
    e.seq = ++seq;
    e.occurred_at_us = first_us + span * i / count;
    Describe(seq, e);
    e.prev_hash = prev;
    e.hash = onboard::domain::ComputeAuditHash(e);
    buf += std::to_string(e.seq);
    buf.push_back('\t');
    buf += onboard::domain::Rfc3339FromMicros(e.occurred_at_us);
    const auto fields = onboard::domain::AuditTextColumns(e);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      buf.push_back('\t');
      // portal_user, request_id, source_ip and organisation are NULL when empty, as the sealer
      // stores them.
      AppendCopyField(buf, fields[f], f >= 2 && f <= 5);
    }
    buf.push_back('\n');
    prev = e.hash;
    if (buf.size() >= (1 << 20) - 4096 || i + 1 == count) {
      if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) Fail("COPY data", c);
      buf.clear();
    }
  }
  if (PQputCopyEnd(c, nullptr) != 1) Fail("COPY end", c);
  ResultPtr done(PQgetResult(c));
  if (!done || PQresultStatus(done.get()) != PGRES_COMMAND_OK) Fail("COPY", c);
  while (PGresult* r = PQgetResult(c)) PQclear(r);
  Exec(c, "COMMIT", PGRES_COMMAND_OK);
  std::cout << first_seq << " " << seq << "\n";
  return 0;
}
