#include <gtest/gtest.h>

#include "fakes.hpp"
#include "onboardings.hpp"

namespace onboard::usecases {
namespace {

const std::string kCaseId = "0b0e8a52-7f53-4a4e-9a53-1d2a3b4c5d6e";
const std::string kClientId = "5A1C2B3D-0000-4000-8000-00000000000A";

NewCase ValidCase(std::optional<std::string> organisation = kOrgA) {
  NewCase c;
  c.organisation = std::move(organisation);
  c.service_name = "Skattemelding";
  return c;
}

struct OnboardingCases : testing::UseCaseTest {
  Onboardings cases{onboardings};

  void SetUp() override {
    domain::Onboarding o;
    o.id = kCaseId;
    o.organisation = kOrgA;
    o.service_name = "Eksisterende";
    onboardings.rows[o.id] = o;
  }
  CaseChange ChangeOf() const {
    CaseChange c;
    c.id = kCaseId;
    return c;
  }
};

TEST_F(OnboardingCases, OpenWritesAnOpenCaseWithItsEventAndCreator) {
  const domain::Onboarding o = cases.Open(testing::Operator(), ValidCase());
  EXPECT_EQ(o.state, domain::OnboardingState::kOpen);
  EXPECT_EQ(o.created_by, "ops");
  EXPECT_EQ(o.id.size(), 36u);
  ASSERT_EQ(onboardings.events.size(), 1u);
  EXPECT_EQ(onboardings.events[0].action, "onboarding.create");
  EXPECT_EQ(onboardings.events[0].detail_json,
            R"({"contacts":0,"planning_complete":false,"service_name":"Skattemelding"})");
}

TEST_F(OnboardingCases, AnOperatorMustNameTheOrganisation) {
  const AppError e = Thrown([&] { cases.Open(testing::Operator(), ValidCase(std::nullopt)); });
  EXPECT_TRUE(Has(e.field_errors(), "organisation", "required"));
  EXPECT_TRUE(onboardings.events.empty());
}

TEST_F(OnboardingCases, APortalThatLeavesTheOrganisationOutOpensForItsOwn) {
  const domain::Onboarding o = cases.Open(testing::Portal(kOrgB), ValidCase(std::nullopt));
  EXPECT_EQ(o.organisation, kOrgB);
}

TEST_F(OnboardingCases, APortalOpensCasesOnlyForItsOwnOrganisation) {
  const AppError e = Thrown([&] { cases.Open(testing::Portal(kOrgB), ValidCase(kOrgA)); });
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_TRUE(onboardings.events.empty());
}

TEST_F(OnboardingCases, OpenRefusesAnOrganisationWithABadCheckDigit) {
  const AppError e = Thrown([&] { cases.Open(testing::Operator(), ValidCase("974760674")); });
  EXPECT_TRUE(Has(e.field_errors(), "organisation", "invalid_orgno"));
}

TEST_F(OnboardingCases, APlanningPatchFillsClearsAndKeepsFields) {
  PlanningPatch patch;
  patch.fields[0] = Patch<std::string>::Of("Q3");
  patch.fields[1] = Patch<std::string>::Null();
  domain::PlanningInfo start;
  start.production_plan = "old";
  start.expected_volume = "1000/day";
  const domain::PlanningInfo next = patch.ApplyTo(start);
  EXPECT_EQ(next.schedule, "Q3");
  EXPECT_EQ(next.production_plan, "");
  EXPECT_EQ(next.expected_volume, "1000/day");
  patch.null = true;
  EXPECT_EQ(patch.ApplyTo(start).expected_volume, "");
}

TEST_F(OnboardingCases, AMalformedOrForeignCaseIdIsTheSameNotFound) {
  const AppError malformed = Thrown([&] { cases.Get(testing::Operator(), "nope"); });
  const AppError foreign = Thrown([&] { cases.Get(testing::Portal(kOrgB), kCaseId); });
  EXPECT_EQ(malformed.code(), ErrorCode::kNotFound);
  EXPECT_EQ(foreign.code(), ErrorCode::kNotFound);
  EXPECT_EQ(malformed.detail(), foreign.detail());
  EXPECT_EQ(cases.Get(testing::Portal(kOrgA), kCaseId).id, kCaseId);
}

TEST_F(OnboardingCases, ListValidatesTheOrganisationAndTheState) {
  const AppError e = Thrown([&] { cases.List(testing::Operator(), {"123", "closed", {}}); });
  EXPECT_TRUE(Has(e.field_errors(), "organisation", "invalid_orgno"));
  EXPECT_TRUE(Has(e.field_errors(), "state", "invalid_state"));
}

TEST_F(OnboardingCases, APortalAskingForAnotherOrganisationsCasesGetsAnEmptyList) {
  const auto page = cases.List(testing::Portal(kOrgB), {kOrgA, "", {}});
  EXPECT_TRUE(page.items.empty());
  EXPECT_EQ(onboardings.lists, 0);
  cases.List(testing::Portal(kOrgB), {});
  EXPECT_EQ(onboardings.last_filter.organisation, kOrgB);
}

TEST_F(OnboardingCases, ChangeRefusesAStaleIfMatch) {
  CaseChange c = ChangeOf();
  c.expected_version = 9;
  EXPECT_EQ(Thrown([&] { cases.Change(testing::Operator(), c); }).code(),
            ErrorCode::kPreconditionFailed);
}

TEST_F(OnboardingCases, ChangeKeepsIdOrganisationAndServiceName) {
  CaseChange c = ChangeOf();
  c.id_in_body = "other";
  c.organisation_in_body = kOrgB;
  c.service_name = Patch<std::string>::Null();
  const AppError e = Thrown([&] { cases.Change(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "id", "immutable"));
  EXPECT_TRUE(Has(e.field_errors(), "organisation", "immutable"));
  EXPECT_TRUE(Has(e.field_errors(), "service_name", "required"));
}

TEST_F(OnboardingCases, StateMovesOnlyBetweenOpenAndWithdrawn) {
  CaseChange c = ChangeOf();
  c.state = Patch<std::string>::Of("in_production");
  EXPECT_TRUE(Has(Thrown([&] { cases.Change(testing::Operator(), c); }).field_errors(), "state",
                  "transition_not_allowed"));
  c.state = Patch<std::string>::Of("closed");
  EXPECT_TRUE(Has(Thrown([&] { cases.Change(testing::Operator(), c); }).field_errors(), "state",
                  "invalid_state"));
  c.state = Patch<std::string>::Null();
  EXPECT_TRUE(Has(Thrown([&] { cases.Change(testing::Operator(), c); }).field_errors(), "state",
                  "required"));
  c.state = Patch<std::string>::Of("withdrawn");
  EXPECT_EQ(cases.Change(testing::Operator(), c).state, domain::OnboardingState::kWithdrawn);
  EXPECT_EQ(onboardings.events.back().detail_json,
            R"({"changed":["state"],"state_from":"open","state_to":"withdrawn"})");
}

TEST_F(OnboardingCases, AWithdrawnCaseTakesOnlyTheChangeThatReopensIt) {
  onboardings.rows[kCaseId].state = domain::OnboardingState::kWithdrawn;
  CaseChange c = ChangeOf();
  c.service_name = Patch<std::string>::Of("Nytt");
  EXPECT_EQ(Thrown([&] { cases.Change(testing::Operator(), c); }).code_name(), "onboarding_closed");
  c.state = Patch<std::string>::Of("open");
  EXPECT_EQ(cases.Change(testing::Operator(), c).state, domain::OnboardingState::kOpen);
}

TEST_F(OnboardingCases, APatchThatChangesNothingWritesNothing) {
  CaseChange c = ChangeOf();
  c.service_name = Patch<std::string>::Of("Eksisterende");
  EXPECT_EQ(cases.Change(testing::Operator(), c).version, 1);
  EXPECT_TRUE(onboardings.events.empty());
}

TEST_F(OnboardingCases, LinkingNeedsAUuidAndStoresItInLowerCase) {
  ClientLink link{kCaseId, "not-a-uuid", std::nullopt, {}};
  EXPECT_TRUE(Has(Thrown([&] { cases.LinkClient(testing::Operator(), link); }).field_errors(),
                  "client_id", "invalid_client_id"));
  link.client_id = kClientId;
  link.expected_version = 1;
  cases.LinkClient(testing::Operator(), link);
  EXPECT_EQ(onboardings.rows[kCaseId].test_clients.back().client_id,
            "5a1c2b3d-0000-4000-8000-00000000000a");
  EXPECT_EQ(onboardings.last_expected_version, 1);
  EXPECT_EQ(onboardings.events.back().action, "onboarding.link_client");
}

TEST_F(OnboardingCases, LinkingOnAForeignCaseIsNotFoundBeforeTheBodyIsJudged) {
  ClientLink link{kCaseId, "not-a-uuid", std::nullopt, {}};
  EXPECT_EQ(Thrown([&] { cases.LinkClient(testing::Portal(kOrgB), link); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(OnboardingCases, AcceptingNeedsAWellFormedVersionAndRecordsThePortalUser) {
  TermsAcceptanceCommand accept{kCaseId, "bad version!", std::nullopt, {}};
  EXPECT_TRUE(Has(Thrown([&] { cases.AcceptTerms(testing::Portal(kOrgA), accept); }).field_errors(),
                  "terms_version", "unknown_terms_version"));
  accept.terms_version = "2024-06";
  const domain::Onboarding o = cases.AcceptTerms(testing::Portal(kOrgA), accept);
  EXPECT_EQ(o.terms_acceptance->portal_user, "kari");
  EXPECT_EQ(onboardings.events.back().detail_json, R"({"terms_version":"2024-06"})");
}

struct TermsCases : testing::UseCaseTest {
  TermsOfUse terms_of_use{terms};
};

TEST_F(TermsCases, PublishValidatesAndNamesThePublisher) {
  NewTerms bad;
  bad.terms.version = "2024-06";
  bad.terms.url = "http://example.no/terms";
  EXPECT_EQ(Thrown([&] { terms_of_use.Publish(testing::Operator(), bad); }).code(),
            ErrorCode::kValidation);
  EXPECT_TRUE(terms.rows.empty());
  NewTerms good = bad;
  good.terms.title = "Vilkår";
  good.terms.summary = "Første versjon";
  good.terms.url = "https://example.no/terms";
  EXPECT_EQ(terms_of_use.Publish(testing::Operator(), good).published_by, "ops");
  EXPECT_EQ(terms.events.back().action, "terms.publish");
}

TEST_F(TermsCases, AMalformedVersionIsNotFoundWithoutAsking) {
  EXPECT_EQ(Thrown([&] { terms_of_use.Get("../etc"); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(terms.finds, 0);
}

}  // namespace
}  // namespace onboard::usecases
