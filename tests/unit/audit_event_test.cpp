#include <gtest/gtest.h>

#include <functional>

#include "audit_event.hpp"

namespace onboard::domain {
namespace {

SealedAuditEvent Sample() {
  SealedAuditEvent e;
  e.seq = 42;
  e.occurred_at_us = 1700000000123456;
  e.event.actor = Actor{"ops-token", "operator", "", "req-1", "127.0.0.1"};
  e.event.organisation = "974760673";
  e.event.action = "organisation.create";
  e.event.target_type = "organisation";
  e.event.target_id = "974760673";
  e.event.outcome = "success";
  e.event.detail_json = R"({"changed":["name"]})";
  for (int i = 0; i < 32; ++i) e.prev_hash += "ab";
  return e;
}

TEST(AuditEncoding, IsOneLengthPrefixedLinePerFieldInTheDocumentedOrder) {
  EXPECT_EQ(CanonicalAuditEncoding(Sample()),
            "v=1:1\n"
            "seq=2:42\n"
            "occurred_at_us=16:1700000000123456\n"
            "actor=9:ops-token\n"
            "role=8:operator\n"
            "portal_user=0:\n"
            "request_id=5:req-1\n"
            "source_ip=9:127.0.0.1\n"
            "organisation=9:974760673\n"
            "action=19:organisation.create\n"
            "target_type=12:organisation\n"
            "target_id=9:974760673\n"
            "outcome=7:success\n"
            "detail=20:{\"changed\":[\"name\"]}\n"
            "prev_hash=64:abababababababababababababababababababababababababababababababab\n");
}

TEST(AuditHash, MatchesTheRecordedValueForAKnownEvent) {
  // Computed independently (Python hashlib over the documented encoding). If this
  // changes, every stored chain stops verifying: the encoding must never change silently.
  EXPECT_EQ(ComputeAuditHash(Sample()),
            "eb31e9c52c41d00e649f763485761a11dad9c08d13aeb9b3ba7e51c5a90be374");
}

TEST(AuditHash, ChangesWhenAnySingleFieldChanges) {
  const std::string base = ComputeAuditHash(Sample());
  const std::vector<std::pair<const char*, std::function<void(SealedAuditEvent&)>>> mutations = {
      {"seq", [](auto& e) { e.seq = 43; }},
      {"occurred_at_us", [](auto& e) { e.occurred_at_us += 1; }},
      {"actor", [](auto& e) { e.event.actor.name = "ops-tokeN"; }},
      {"role", [](auto& e) { e.event.actor.role = "auditor"; }},
      {"portal_user", [](auto& e) { e.event.actor.portal_user = "kari"; }},
      {"request_id", [](auto& e) { e.event.actor.request_id = "req-2"; }},
      {"source_ip", [](auto& e) { e.event.actor.source_ip = "127.0.0.2"; }},
      {"organisation", [](auto& e) { e.event.organisation = "974760674"; }},
      {"action", [](auto& e) { e.event.action = "organisation.update"; }},
      {"target_type", [](auto& e) { e.event.target_type = "api_token"; }},
      {"target_id", [](auto& e) { e.event.target_id = "x"; }},
      {"outcome", [](auto& e) { e.event.outcome = "failure"; }},
      {"detail", [](auto& e) { e.event.detail_json = R"({"changed":["contacts"]})"; }},
      {"prev_hash", [](auto& e) { e.prev_hash[63] = 'c'; }},
  };
  for (const auto& [field, mutate] : mutations) {
    SealedAuditEvent e = Sample();
    mutate(e);
    EXPECT_NE(ComputeAuditHash(e), base) << field;
  }
}

TEST(AuditHash, IgnoresTheStoredHashItself) {
  SealedAuditEvent e = Sample();
  const std::string before = ComputeAuditHash(e);
  e.hash = "anything";
  EXPECT_EQ(ComputeAuditHash(e), before);
}

TEST(AuditHash, CannotBeFooledByMovingTextBetweenAdjacentFields) {
  SealedAuditEvent a = Sample();
  SealedAuditEvent b = Sample();
  a.event.target_type = "organisation";
  a.event.target_id = "x";
  b.event.target_type = "organisationx";
  b.event.target_id = "";
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
  // A value that imitates the encoding of the next field.
  SealedAuditEvent c = Sample();
  c.event.actor.name = "ops-token\nrole=8:operator";
  c.event.actor.role = "";
  EXPECT_NE(ComputeAuditHash(c), ComputeAuditHash(Sample()));
}

TEST(AuditHash, IsLowerCaseHexSha256) {
  const std::string h = ComputeAuditHash(Sample());
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(AuditGenesis, IsAllZeroHexOfSha256Length) {
  EXPECT_EQ(std::string(kGenesisHash), std::string(64, '0'));
}

}  // namespace
}  // namespace onboard::domain
