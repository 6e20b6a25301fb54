#include "audit_fixture.hpp"

#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "audit_store.hpp"
#include "crypto.hpp"
#include "pool.hpp"

namespace onboard::testsupport::audit {

AuditService::AuditService() {
  db = std::make_unique<TempDatabase>();
  db::Pool pool(db->url(), 1, 5000, 5);
  op = CreateToken(pool, domain::Role::kOperator, "audit-operator");
  auditor = CreateToken(pool, domain::Role::kAuditor, "audit-auditor");
  portal = CreateToken(pool, domain::Role::kPortal, "audit-portal");
}

void AuditService::Start(const std::map<std::string, std::string>& env) {
  api = std::make_unique<ApiProcess>(db->url(), env);
  http = std::make_unique<HttpClient>(api->port());
}

void AuditService::Stop() {
  if (api) {
    EXPECT_EQ(api->Terminate(), 0);
  }
  api.reset();
  http.reset();
}

HttpResponse AuditService::AuditorGet(const std::string& path, Headers more) const {
  return http->Get(path, Bearer(auditor.secret, std::move(more)));
}

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t AppendAt(db::Connection& conn, const domain::AuditEvent& event, int64_t occurred_at_us) {
  db::Tx tx(conn);
  conn.Exec("lock_audit_chain", {std::to_string(db::kAuditChainLock)});
  db::Result head = conn.Exec("select_audit_head");
  domain::SealedAuditEvent sealed;
  sealed.event = event;
  sealed.seq = head.rows() == 0 ? 1 : head.Int(0, 0) + 1;
  sealed.prev_hash = head.rows() == 0 ? domain::kGenesisHash : head.Str(0, 1);
  sealed.occurred_at_us = occurred_at_us != 0 ? occurred_at_us : NowUs();
  sealed.hash = domain::ComputeAuditHash(sealed);
  const auto& a = event.actor;
  conn.Exec(
      "insert_audit_event",
      {std::to_string(sealed.seq), std::to_string(sealed.occurred_at_us), a.name, a.role,
       db::NullIfEmpty(a.portal_user), db::NullIfEmpty(a.request_id), db::NullIfEmpty(a.source_ip),
       db::NullIfEmpty(event.organisation), event.action, event.target_type, event.target_id,
       event.outcome, event.detail_json, sealed.prev_hash, sealed.hash});
  tx.Commit();
  return sealed.seq;
}

domain::AuditEvent Event(const std::string& actor, const std::string& role,
                         const std::string& organisation, const std::string& action,
                         const std::string& target_id, const std::string& outcome,
                         const std::string& detail) {
  domain::AuditEvent e;
  e.actor.name = actor;
  e.actor.role = role;
  e.actor.request_id = crypto::NewUuid();
  e.actor.source_ip = "127.0.0.1";
  e.organisation = organisation;
  e.action = action;
  e.target_type = action.substr(0, action.find('.'));
  e.target_id = target_id;
  e.outcome = outcome;
  e.detail_json = detail;
  return e;
}

void WriteSigningKey(const std::string& path, const std::string& type) {
  EVP_PKEY* key = type == "rsa"
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(key, nullptr) << "key generation failed";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr) << path;
  ::chmod(path.c_str(), 0600);
  EXPECT_EQ(PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  std::fclose(f);
  EVP_PKEY_free(key);
}

std::string TempDir() {
  const std::string dir = Poco::TemporaryFile::tempName();
  ::mkdir(dir.c_str(), 0700);
  return dir;
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, in_field = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
      in_field = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      in_field = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      in_field = false;
      ++i;
    } else {
      field.push_back(c);
      in_field = true;
    }
  }
  if (in_field || !field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

std::vector<Poco::JSON::Object::Ptr> ParseNdjson(const std::string& text) {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Poco::JSON::Parser parser;
    out.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
  }
  return out;
}

std::vector<int64_t> Seqs(const std::vector<Poco::JSON::Object::Ptr>& objects) {
  std::vector<int64_t> out;
  for (const auto& o : objects) out.push_back(o->getValue<int64_t>("seq"));
  return out;
}

std::vector<int64_t> PageSeqs(const HttpResponse& page) {
  std::vector<int64_t> out;
  if (!page.json) return out;
  auto items = page.json->getArray("items");
  for (std::size_t i = 0; items && i < items->size(); ++i) {
    out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<int64_t>("seq"));
  }
  return out;
}

std::string Enc(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

}  // namespace onboard::testsupport::audit
