#include <gtest/gtest.h>

#include "fakes.hpp"
#include "organisations.hpp"

namespace onboard::usecases {
namespace {

NewOrganisation Valid(const std::string& orgno) {
  NewOrganisation c;
  c.organisation.orgno = orgno;
  c.organisation.name = "Etaten";
  return c;
}

struct OrganisationCases : testing::UseCaseTest {
  Organisations cases{organisations};
};

TEST_F(OrganisationCases, RegisterWritesTheOrganisationWithItsCreateEvent) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  ASSERT_EQ(organisations.events.size(), 1u);
  EXPECT_EQ(organisations.events[0].action, "organisation.create");
  EXPECT_EQ(organisations.events[0].target_id, kOrgA);
  EXPECT_EQ(organisations.events[0].actor.name, "ops");
}

TEST_F(OrganisationCases, RegisterRefusesAnOrgnoWithABadCheckDigit) {
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), Valid("974760674")); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_TRUE(Has(e.field_errors(), "orgno", "invalid_orgno"));
  EXPECT_TRUE(organisations.rows.empty());
}

TEST_F(OrganisationCases, RegisterReportsInputErrorsTogetherWithRuleErrors) {
  NewOrganisation c = Valid("123");
  c.organisation.name = "";
  c.input_errors.push_back({"nmae", "unknown_field", "unknown field nmae"});
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "nmae", "unknown_field"));
  EXPECT_TRUE(Has(e.field_errors(), "orgno", "invalid_orgno"));
  EXPECT_FALSE(e.field_errors().empty());
  EXPECT_TRUE(organisations.rows.empty());
}

TEST_F(OrganisationCases, APortalRegistersOnlyTheOrganisationItActsFor) {
  const AppError e = Thrown([&] { cases.Register(testing::Portal(kOrgB), Valid(kOrgA)); });
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_TRUE(organisations.rows.empty());
  cases.Register(testing::Portal(kOrgA), Valid(kOrgA));
  EXPECT_EQ(organisations.rows.size(), 1u);
}

TEST_F(OrganisationCases, RegisteringAKnownOrgnoIsAConflictNamedOrganisationExists) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  const AppError e = Thrown([&] { cases.Register(testing::Operator(), Valid(kOrgA)); });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.code_name(), "organisation_exists");
}

TEST_F(OrganisationCases, APortalAskingForAnotherOrganisationGetsTheWordsOfAMissingOne) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  const AppError foreign = Thrown([&] { cases.Get(testing::Portal(kOrgB), kOrgA); });
  const AppError missing = Thrown([&] { cases.Get(testing::Operator(), kOrgB); });
  EXPECT_EQ(foreign.code(), ErrorCode::kNotFound);
  EXPECT_EQ(foreign.detail(), missing.detail());
}

TEST_F(OrganisationCases, APortalListsOnlyItsOwnOrganisation) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  cases.Register(testing::Operator(), Valid(kOrgB));
  const auto page = cases.List(testing::Portal(kOrgB), {});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].orgno, kOrgB);
  EXPECT_EQ(cases.List(testing::Operator(), {}).items.size(), 2u);
}

TEST_F(OrganisationCases, ANameFilterOver200BytesIsRefused) {
  const AppError e = Thrown([&] { cases.List(testing::Operator(), {std::string(201, 'a'), {}}); });
  EXPECT_TRUE(Has(e.field_errors(), "name", "too_long"));
}

TEST_F(OrganisationCases, ChangeRefusesAStaleIfMatch) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  OrganisationChange c;
  c.orgno = kOrgA;
  c.expected_version = 7;
  const AppError e = Thrown([&] { cases.Change(testing::Operator(), c); });
  EXPECT_EQ(e.code(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(e.code_name(), "version_mismatch");
}

TEST_F(OrganisationCases, ChangeKeepsTheOrgnoAndTheName) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  OrganisationChange c;
  c.orgno = kOrgA;
  c.orgno_in_body = kOrgB;
  c.name = Patch<std::string>::Null();
  const AppError e = Thrown([&] { cases.Change(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "orgno", "immutable"));
  EXPECT_TRUE(Has(e.field_errors(), "name", "required"));
  EXPECT_EQ(organisations.events.size(), 1u);  // the create only
}

TEST_F(OrganisationCases, ChangeNamesWhatChangedInItsEventButNotTheValues) {
  cases.Register(testing::Operator(), Valid(kOrgA));
  OrganisationChange c;
  c.orgno = kOrgA;
  c.name = Patch<std::string>::Of("Nytt navn");
  const domain::Organisation updated = cases.Change(testing::Operator(), c);
  EXPECT_EQ(updated.name, "Nytt navn");
  ASSERT_EQ(organisations.events.size(), 2u);
  EXPECT_EQ(organisations.events[1].action, "organisation.update");
  EXPECT_EQ(organisations.events[1].detail_json, R"({"changed":["name"]})");
}

}  // namespace
}  // namespace onboard::usecases
