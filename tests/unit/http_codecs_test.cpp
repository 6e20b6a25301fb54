#include <gtest/gtest.h>

#include "codecs.hpp"
#include "error.hpp"

namespace onboard::http {
namespace {

TEST(Etag, IsTheQuotedVersion) {
  EXPECT_EQ(VersionEtag(1), "\"1\"");
  EXPECT_EQ(VersionEtag(17), "\"17\"");
}

TEST(IfMatch, AcceptsStrongWeakAndBareVersions) {
  EXPECT_EQ(ParseIfMatch("\"3\""), 3);
  EXPECT_EQ(ParseIfMatch("W/\"4\""), 4);
  EXPECT_EQ(ParseIfMatch("5"), 5);
  EXPECT_EQ(ParseIfMatch(VersionEtag(12)), 12);
}

TEST(IfMatch, IsAbsentWhenTheHeaderIsEmpty) { EXPECT_EQ(ParseIfMatch(""), -1); }

TEST(IfMatch, RejectsAnythingThatIsNotAPositiveVersion) {
  for (const char* bad : {"\"abc\"", "0", "\"-1\"", "*", "\"3", "3\"x"}) {
    try {
      ParseIfMatch(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kPreconditionFailed) << bad;
    }
  }
}

TEST(TokenJson, NeverCarriesTheSecretOrItsHash) {
  domain::ApiToken t;
  t.id = "6f1c2d0e-1111-4222-8333-444455556666";
  t.name = "ci";
  t.role = domain::Role::kAuditor;
  t.prefix = "onb_abcdef";
  t.created_by = "ops";
  t.created_at = "2024-01-01T00:00:00.000000Z";
  const auto o = TokenJson(t);
  EXPECT_FALSE(o->has("token"));
  EXPECT_FALSE(o->has("token_hash"));
  EXPECT_FALSE(o->has("secret"));
  EXPECT_EQ(o->getValue<std::string>("role"), "auditor");
  EXPECT_EQ(o->getValue<std::string>("prefix"), "onb_abcdef");
  EXPECT_TRUE(o->isNull("expires_at"));
  EXPECT_TRUE(o->isNull("revoked_at"));
  EXPECT_TRUE(o->isNull("last_used_at"));
}

TEST(OrganisationJson, CarriesEveryFieldAndTheContacts) {
  domain::Organisation org;
  org.orgno = "974760673";
  org.name = "Acme";
  org.contacts = {{"Kari", "kari@example.no", "+4791234567", "technical"},
                  {"Ola", "ola@example.no", "", "incident"}};
  org.version = 3;
  const auto o = OrganisationJson(org);
  EXPECT_EQ(o->getValue<std::string>("orgno"), "974760673");
  EXPECT_EQ(o->getValue<int>("version"), 3);
  const auto contacts = o->getArray("contacts");
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ(contacts->getObject(0)->getValue<std::string>("mobile"), "+4791234567");
  EXPECT_FALSE(contacts->getObject(1)->has("mobile"));
}

}  // namespace
}  // namespace onboard::http
