#pragma once

// Fixtures of the audit tests: a database with its own service and tokens, events appended
// with chosen fields and times through the service's own chain code, signing keys, and the
// readers of NDJSON and CSV answers.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "audit_export.hpp"
#include "test_support.hpp"

namespace onboard::testsupport::audit {

/// One migrated database, an operator, an auditor and a portal token, and (after Start) one
/// onboard-api serving it with `env`.
struct AuditService {
  std::unique_ptr<TempDatabase> db;
  std::unique_ptr<ApiProcess> api;
  std::unique_ptr<HttpClient> http;
  TestToken op;
  TestToken auditor;
  TestToken portal;

  AuditService();
  void Start(const std::map<std::string, std::string>& env = {});
  void Stop();

  HttpResponse AuditorGet(const std::string& path, Headers more = {}) const;
};

/// Appends `event` to the chain of `db_url` with occurred_at = `occurred_at_us` (0: now),
/// exactly as a unit of work's seal would (chain lock, head, hash). Returns its seq.
int64_t AppendAt(db::Connection& conn, const domain::AuditEvent& event, int64_t occurred_at_us = 0);

/// An event with the given fields (request id, source ip filled in).
domain::AuditEvent Event(const std::string& actor, const std::string& role,
                         const std::string& organisation, const std::string& action,
                         const std::string& target_id, const std::string& outcome = "success",
                         const std::string& detail = "{}");

/// Writes a new private key ("ed25519" or "rsa") as PEM to `path` with mode 0600.
void WriteSigningKey(const std::string& path, const std::string& type = "ed25519");

/// A fresh temporary directory (removed by the OS tmp cleaner; tests keep keys in it).
std::string TempDir();

/// Microseconds since the epoch now.
int64_t NowUs();

/// Parses an RFC 4180 CSV text into records of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);

/// Lines of an NDJSON body parsed as objects.
std::vector<Poco::JSON::Object::Ptr> ParseNdjson(const std::string& text);

/// seq values of a JSON page / NDJSON objects.
std::vector<int64_t> Seqs(const std::vector<Poco::JSON::Object::Ptr>& objects);
std::vector<int64_t> PageSeqs(const HttpResponse& page);

/// Percent-encodes a query value.
std::string Enc(const std::string& value);

}  // namespace onboard::testsupport::audit
