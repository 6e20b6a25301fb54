#include "readiness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "config.hpp"
#include "verification_fixtures.hpp"

namespace onboard::domain {
namespace {

using testing::At;
using testing::CatalogueV1;
using testing::CompleteCase;
using testing::MandatoryPassed;
using testing::ProductionReadyMetadata;

// Everything in place: the fakes every test below takes one thing away from.
ReadinessInput ReadyInput() {
  ReadinessInput in;
  in.client_id = "0b6a3c8e-2f4d-4e71-9c35-8a1d5e7b2c90";
  in.environment = Environment::kTest;
  in.state = ClientState::kActive;
  in.metadata = ProductionReadyMetadata();
  in.onboarding = CompleteCase();
  in.delivery = DeliveryMethod::kSmsZip;
  in.catalogue = CatalogueV1();
  in.latest_complete_run = MandatoryPassed("2024-05-01T10:00:00Z");
  in.latest_complete_run->complete = true;
  in.now = At("2024-05-02T12:00:00Z");
  in.max_age_days = 90;
  return in;
}

Readiness Evaluate(const ReadinessInput& in) {
  return EvaluateReadiness(in, ScopeCatalogue::Default());
}

const ReadinessItem& ItemOf(const Readiness& r, const std::string& id) {
  auto it = std::find_if(r.items.begin(), r.items.end(),
                         [&](const ReadinessItem& i) { return i.id == id; });
  if (it == r.items.end()) throw std::runtime_error("no item " + id);
  return *it;
}

// Ids of the items that are not ok.
std::vector<std::string> Blocking(const Readiness& r) {
  std::vector<std::string> out;
  for (const auto& i : r.items) {
    if (!i.ok) out.push_back(i.id);
  }
  return out;
}

const CaseCheck& CaseOf(const Readiness& r, int id) {
  const auto& cases = ItemOf(r, kReadinessVerificationTests).cases;
  auto it =
      std::find_if(cases.begin(), cases.end(), [&](const CaseCheck& c) { return c.id == id; });
  if (it == cases.end()) throw std::runtime_error("no case " + std::to_string(id));
  return *it;
}

using Ids = std::vector<std::string>;

TEST(Readiness, IsReadyWhenEveryItemIsInPlace) {
  const Readiness r = Evaluate(ReadyInput());
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(Blocking(r), Ids{});
  Ids order;
  for (const auto& i : r.items) order.push_back(i.id);
  EXPECT_EQ(order, (Ids{"test_client", "onboarding_case", "terms_accepted", "planning_complete",
                        "verification_tests", "production_contacts", "production_metadata"}));
  EXPECT_EQ(ItemOf(r, kReadinessTermsAccepted).facts.at("terms_version"), "2024-01");
  EXPECT_EQ(ItemOf(r, kReadinessVerificationTests).facts.at("run_id"),
            "3f0c7c1e-8a53-4a5e-9d89-0d6c2b7f1a10");
}

TEST(Readiness, WithoutAnOnboardingCaseTermsPlanningAndContactsAllBlock) {
  ReadinessInput in = ReadyInput();
  in.onboarding.reset();
  const Readiness r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(Blocking(r),
            (Ids{"onboarding_case", "terms_accepted", "planning_complete", "production_contacts"}));
  EXPECT_EQ(ItemOf(r, kReadinessPlanningComplete).missing.size(), std::size(kPlanningFields));
}

TEST(Readiness, AWithdrawnCaseBlocks) {
  ReadinessInput in = ReadyInput();
  in.onboarding->state = OnboardingState::kWithdrawn;
  EXPECT_EQ(Blocking(Evaluate(in)), Ids{"onboarding_case"});
}

TEST(Readiness, BlocksUntilTheTermsAreAccepted) {
  ReadinessInput in = ReadyInput();
  in.onboarding->terms_acceptance.reset();
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"terms_accepted"});
  EXPECT_NE(ItemOf(r, kReadinessTermsAccepted).detail.find("not accepted"), std::string::npos);
}

TEST(Readiness, NamesTheMissingPlanningFields) {
  ReadinessInput in = ReadyInput();
  in.onboarding->planning.expected_volume = "  ";
  in.onboarding->planning.support_impact.clear();
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"planning_complete"});
  EXPECT_EQ(ItemOf(r, kReadinessPlanningComplete).missing,
            (Ids{"expected_volume", "support_impact"}));
}

TEST(Readiness, BlocksWithoutACompleteRun) {
  ReadinessInput in = ReadyInput();
  in.latest_complete_run.reset();
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  const ReadinessItem& item = ItemOf(r, kReadinessVerificationTests);
  EXPECT_NE(item.detail.find("no complete verification run"), std::string::npos);
  EXPECT_NE(item.detail.find("1, 3, 6, 7, 8"), std::string::npos);
  EXPECT_FALSE(CaseOf(r, 1).ok);
  EXPECT_TRUE(CaseOf(r, 2).ok);
}

TEST(Readiness, ARunOlderThanTheConfiguredAgeBlocks) {
  ReadinessInput in = ReadyInput();
  in.now = At("2024-07-30T10:00:00Z");  // exactly 90 days after the run
  EXPECT_TRUE(Evaluate(in).ready);
  in.now = At("2024-07-30T10:00:01Z");
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_NE(ItemOf(r, kReadinessVerificationTests).detail.find("older than 90 days"),
            std::string::npos);
  in.max_age_days = 120;
  EXPECT_TRUE(Evaluate(in).ready);
  // A run from long ago is simply too old, whatever the clock's resolution.
  in.latest_complete_run->tested_at = "1900-01-01T00:00:00Z";
  EXPECT_EQ(Blocking(Evaluate(in)), Ids{"verification_tests"});
}

TEST(Readiness, AFailedMandatoryTestBlocksAndIsNamed) {
  ReadinessInput in = ReadyInput();
  in.latest_complete_run->results[2].outcome = CaseOutcome::kFailed;  // test 6
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_FALSE(CaseOf(r, 6).ok);
  EXPECT_EQ(CaseOf(r, 6).outcome, CaseOutcome::kFailed);
  EXPECT_NE(ItemOf(r, kReadinessVerificationTests).detail.find("test 6"), std::string::npos);
}

TEST(Readiness, OnbehalfofRecordsRequireTest10ToPass) {
  ReadinessInput in = ReadyInput();
  in.metadata.onbehalfof.push_back({"kunde1", "Kunde AS", "910000004", std::nullopt});
  Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_TRUE(CaseOf(r, 10).applicable);
  EXPECT_EQ(CaseOf(r, 10).reason, "feature:onbehalfof");
  EXPECT_EQ(CaseOf(r, 10).detail, "not recorded in the latest complete run");

  in.latest_complete_run->results.push_back(testing::Result(10, CaseOutcome::kNotApplicable));
  r = Evaluate(in);
  EXPECT_FALSE(CaseOf(r, 10).ok);
  EXPECT_NE(CaseOf(r, 10).detail.find("client uses onbehalfof"), std::string::npos);

  in.latest_complete_run->results.back().outcome = CaseOutcome::kPassed;
  EXPECT_TRUE(Evaluate(in).ready);
}

TEST(Readiness, AnOptionalTestRecordedAsFailedBlocksButNotApplicableDoesNot) {
  ReadinessInput in = ReadyInput();
  in.latest_complete_run->results.push_back(testing::Result(11, CaseOutcome::kNotApplicable));
  in.latest_complete_run->results.push_back(testing::Result(2, CaseOutcome::kPassed));
  Readiness r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(CaseOf(r, 2).reason, "recorded");
  EXPECT_EQ(CaseOf(r, 11).reason, "optional");

  in.latest_complete_run->results.back().outcome = CaseOutcome::kFailed;
  r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_FALSE(CaseOf(r, 2).ok);
}

TEST(Readiness, Test7NeedsARegisteredFrontchannelLogoutUri) {
  ReadinessInput in = ReadyInput();
  in.metadata.frontchannel_logout_uri.reset();
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_FALSE(CaseOf(r, 7).ok);
  EXPECT_EQ(CaseOf(r, 7).detail, "needs a registered frontchannel_logout_uri");
}

TEST(Readiness, ChecksAgainstTheCurrentCatalogueEvenForOlderRuns) {
  ReadinessInput in = ReadyInput();
  in.catalogue.version = 2;
  in.catalogue.cases.push_back(testing::Case(12, "new_mandatory_case", true));
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_FALSE(CaseOf(r, 12).ok);
  EXPECT_NE(ItemOf(r, kReadinessVerificationTests).detail.find("catalogue version 1"),
            std::string::npos);
}

TEST(Readiness, MachineClientsNeedNoVerificationTests) {
  ReadinessInput in = ReadyInput();
  in.metadata.integration_type = IntegrationType::kMaskinporten;
  in.latest_complete_run.reset();
  const ReadinessItem item = ItemOf(Evaluate(in), kReadinessVerificationTests);
  EXPECT_TRUE(item.ok);
  EXPECT_TRUE(item.cases.empty());
}

TEST(Readiness, SmsDeliveryNeedsATechnicalContactWithAMobileNumber) {
  ReadinessInput in = ReadyInput();
  in.onboarding->contacts = {{"Ola Nordmann", "ola@example.no", "", "technical"},
                             {"Kari Nordmann", "kari@example.no", "+4791234567", "administrative"}};
  Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"production_contacts"});
  EXPECT_EQ(ItemOf(r, kReadinessProductionContacts).missing, Ids{"technical_contact_mobile"});
  EXPECT_EQ(ItemOf(r, kReadinessProductionContacts).facts.at("delivery"), "sms_zip");

  in.delivery = DeliveryMethod::kCertificate;
  r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(ItemOf(r, kReadinessProductionContacts).facts.at("delivery"), "certificate");
}

TEST(Readiness, NeedsATechnicalContactWithEmailWhateverTheDelivery) {
  ReadinessInput in = ReadyInput();
  in.onboarding->contacts = {{"Kari Nordmann", "kari@example.no", "+4791234567", "administrative"}};
  in.delivery = DeliveryMethod::kCertificate;
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"production_contacts"});
  EXPECT_EQ(ItemOf(r, kReadinessProductionContacts).missing, Ids{"technical_contact_email"});
}

TEST(Readiness, ShowsTheProductionRuleViolationsOfTestMetadata) {
  ReadinessInput in = ReadyInput();
  in.metadata.redirect_uris = {"http://localhost:8080/callback"};
  in.metadata.post_logout_redirect_uris = {"http://app.example.no/logout"};
  in.metadata.frontchannel_logout_uri = "http://localhost:8080/logout";
  const Readiness r = Evaluate(in);
  EXPECT_EQ(Blocking(r), Ids{"production_metadata"});
  std::map<std::string, std::string> errors;
  for (const auto& e : ItemOf(r, kReadinessProductionMetadata).errors) errors[e.path] = e.code;
  EXPECT_EQ(errors.at("redirect_uris/0"), "localhost_not_allowed");
  EXPECT_EQ(errors.at("post_logout_redirect_uris/0"), "https_required");
}

TEST(Readiness, ADeactivatedTestClientBlocks) {
  ReadinessInput in = ReadyInput();
  in.state = ClientState::kDeactivated;
  EXPECT_EQ(Blocking(Evaluate(in)), Ids{"test_client"});
}

TEST(Readiness, AProductionClientIsNotATestClient) {
  ReadinessInput in = ReadyInput();
  in.environment = Environment::kProduction;
  EXPECT_EQ(Blocking(Evaluate(in)), Ids{"test_client"});
}

TEST(VerificationConfig, MaxAgeDefaultsToNinetyDaysAndIsValidated) {
  const std::map<std::string, std::string> base{
      {"ONBOARD_DATABASE_URL", "postgresql://u@127.0.0.1/db"}};
  EXPECT_EQ(LoadConfig(nullptr, base).verification.max_age_days, 90);
  auto env = base;
  env["ONBOARD_VERIFICATION_MAX_AGE_DAYS"] = "30";
  EXPECT_EQ(LoadConfig(nullptr, env).verification.max_age_days, 30);
  for (const char* bad : {"0", "3651", "ninety", "-5"}) {
    env["ONBOARD_VERIFICATION_MAX_AGE_DAYS"] = bad;
    try {
      LoadConfig(nullptr, env);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      ASSERT_EQ(e.problems().size(), 1u);
      EXPECT_NE(e.problems()[0].find("ONBOARD_VERIFICATION_MAX_AGE_DAYS"), std::string::npos)
          << e.problems()[0];
    }
  }
}

}  // namespace
}  // namespace onboard::domain
