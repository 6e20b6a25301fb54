#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>

#include "audit_export.hpp"
#include "audit_log.hpp"
#include "crypto.hpp"
#include "refusal_counter.hpp"
#include "signer.hpp"

namespace onboard::domain {
namespace {

std::string Csv(std::string_view v) {
  std::string out;
  AppendCsvField(out, v);
  return out;
}

TEST(AuditCsv, LeavesPlainFieldsAlone) { EXPECT_EQ(Csv("client.update"), "client.update"); }

TEST(AuditCsv, QuotesCommasQuotesAndLineBreaksDoublingQuotes) {
  EXPECT_EQ(Csv("a,b"), "\"a,b\"");
  EXPECT_EQ(Csv("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Csv("one\ntwo"), "\"one\ntwo\"");
  EXPECT_EQ(Csv("one\r\ntwo"), "\"one\r\ntwo\"");
}

TEST(AuditCsv, NeutralisesCellsASpreadsheetWouldEvaluate) {
  EXPECT_EQ(Csv("=1+1"), "'=1+1");
  EXPECT_EQ(Csv("+47"), "'+47");
  EXPECT_EQ(Csv("-2"), "'-2");
  EXPECT_EQ(Csv("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(Csv("\tx"), "'\tx");
  EXPECT_EQ(Csv("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(Csv("a=b"), "a=b");
}

TEST(AuditCsv, WritesOneRecordPerEventWithTheHeadersColumns) {
  SealedAuditEvent e;
  e.seq = 7;
  e.occurred_at_us = 1764583200123456;  // 2025-12-01T10:00:00.123456Z
  e.event.actor.name = "alice";
  e.event.actor.role = "operator";
  e.event.action = "client.update";
  e.event.target_type = "client";
  e.event.target_id = "c-1";
  e.event.detail_json = R"({"a":1,"b":2})";
  e.prev_hash = "p";
  e.hash = "h";
  std::string out;
  AppendAuditCsv(out, e);
  EXPECT_EQ(out,
            "7,2025-12-01T10:00:00.123456Z,alice,operator,,,,,client.update,client,c-1,success,\"{"
            "\"\"a\"\":1,\"\"b\"\":2}\",p,h\r\n");
  const std::string header(AuditCsvHeader());
  EXPECT_EQ(std::count(header.begin(), header.end(), ','),
            std::count(out.begin(), out.end(), ',') - 1);
}

TEST(AuditJson, EscapesStringsAndEmbedsTheDetail) {
  SealedAuditEvent e;
  e.seq = 1;
  e.event.actor.name = "a\"b\\c\n\x01";
  e.event.detail_json = R"({"k":[1,2]})";
  std::string out;
  AppendAuditJson(out, e);
  EXPECT_NE(out.find(R"("actor":"a\"b\\c\n\u0001")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("detail":{"k":[1,2]})"), std::string::npos) << out;
}

TEST(Rfc3339, RoundTripsMicroseconds) {
  int64_t us = 0;
  ASSERT_TRUE(ParseRfc3339Micros("2026-12-01T11:28:04.123456Z", us));
  EXPECT_EQ(Rfc3339FromMicros(us), "2026-12-01T11:28:04.123456Z");
}

TEST(Rfc3339, AcceptsOffsetsFractionsAndPlainDates) {
  int64_t a = 0, b = 0, c = 0, d = 0;
  ASSERT_TRUE(ParseRfc3339Micros("2026-12-01T12:00:00+01:00", a));
  ASSERT_TRUE(ParseRfc3339Micros("2026-12-01T11:00:00Z", b));
  EXPECT_EQ(a, b);
  ASSERT_TRUE(ParseRfc3339Micros("2026-12-01", c));
  EXPECT_EQ(Rfc3339FromMicros(c), "2026-12-01T00:00:00.000000Z");
  ASSERT_TRUE(ParseRfc3339Micros("1970-01-01T00:00:00.5Z", d));
  EXPECT_EQ(d, 500000);
}

TEST(Rfc3339, RejectsWhatIsNotATime) {
  int64_t us = 0;
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-12-01T25:00:00Z", "2026-12-01T10:00:00",
        "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00Zjunk", "12345"}) {
    EXPECT_FALSE(ParseRfc3339Micros(bad, us)) << bad;
  }
}

TEST(CheckpointPayload, NamesEveryFieldOnItsOwnLine) {
  EXPECT_EQ(CheckpointPayload(12, "abc", 12, "2026-12-01T00:00:00.000000Z", "k1", "daily"),
            "onboard-audit-checkpoint/v1\nseq=12\nhead_hash=abc\nevent_count=12\n"
            "created_at=2026-12-01T00:00:00.000000Z\nkey_id=k1\nkind=daily\n");
}

std::string NewKeyPem(const char* type) {
  EVP_PKEY* key = std::string(type) == "RSA"
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

TEST(CheckpointSigner, SignsWithEd25519AndRsaAndOnlyTheSignedTextVerifies) {
  for (const char* type : {"ED25519", "RSA"}) {
    const crypto::Signer signer = crypto::Signer::FromPem(NewKeyPem(type));
    EXPECT_EQ(signer.algorithm(), std::string(type) == "RSA" ? "rsa-sha256" : "ed25519");
    EXPECT_EQ(signer.key_id().size(), 16u);
    const std::string sig = signer.Sign("payload");
    EXPECT_TRUE(
        crypto::VerifySignature(signer.public_key_pem(), signer.algorithm(), "payload", sig))
        << type;
    EXPECT_FALSE(
        crypto::VerifySignature(signer.public_key_pem(), signer.algorithm(), "payloaD", sig))
        << type;
    EXPECT_FALSE(crypto::VerifySignature(signer.public_key_pem(), "other", "payload", sig)) << type;
  }
}

TEST(CheckpointSigner, RefusesWhatIsNotAPrivateKey) {
  EXPECT_THROW(
      crypto::Signer::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
      std::runtime_error);
  EXPECT_THROW(crypto::Signer::FromPem(NewKeyPem("X25519")), std::runtime_error);
}

TEST(RefusalCounter, CountsPerTokenStatusAndDayAndEmptiesOnTake) {
  RefusalCounter counter;
  const int64_t day1 = 1764547200000000;  // 2025-12-01T00:00:00Z
  counter.Record("", "", "", 401, day1 + 1);
  counter.Record("", "", "", 401, day1 + 2);
  counter.Record("t1", "portal-a", "portal", 403, day1 + 3);
  counter.Record("t1", "portal-a", "portal", 401, day1 + 4);
  counter.Record("t1", "portal-a", "portal", 403, day1 + 86400000000LL);
  auto counts = counter.Take();
  ASSERT_EQ(counts.size(), 4u);
  int64_t anonymous = 0;
  for (const auto& c : counts) {
    if (c.token_key == "anonymous") anonymous += c.count;
  }
  EXPECT_EQ(anonymous, 2);
  EXPECT_TRUE(counter.Take().empty());
  counter.Restore(counts);
  EXPECT_EQ(counter.Take().size(), 4u);
}

}  // namespace
}  // namespace onboard::domain
