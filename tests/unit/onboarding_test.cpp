#include <gtest/gtest.h>

#include <algorithm>

#include "onboarding.hpp"
#include "terms.hpp"

namespace onboard::domain {
namespace {

PlanningInfo CompletePlanning() {
  PlanningInfo p;
  p.schedule = "Test in March, production 1 May";
  p.production_plan = "Switch over during the night to 1 May";
  p.service_description = "Self-service for building permits";
  p.expected_volume = "about 20 000 logins a month";
  p.high_traffic_periods = "April, before the application deadline";
  p.support_impact = "low: our own help desk answers first";
  return p;
}

Onboarding ValidCase() {
  Onboarding o;
  o.organisation = "974760673";
  o.service_name = "Building permits";
  o.planning = CompletePlanning();
  o.contacts = {{"Kari Nordmann", "kari@example.no", "+4791234567", "technical"}};
  return o;
}

bool HasError(const std::vector<FieldError>& errors, const std::string& path,
              const std::string& code) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.path == path && e.code == code; });
}

TEST(PlanningComplete, HoldsWhenEveryPlanningFieldIsFilledIn) {
  EXPECT_TRUE(IsPlanningComplete(CompletePlanning()));
  EXPECT_TRUE(MissingPlanningFields(CompletePlanning()).empty());
}

TEST(PlanningComplete, DoesNotHoldForAnEmptyCase) {
  EXPECT_FALSE(IsPlanningComplete(PlanningInfo{}));
  EXPECT_EQ(MissingPlanningFields(PlanningInfo{}).size(), std::size(kPlanningFields));
}

TEST(PlanningComplete, DoesNotHoldWhenAnyOneFieldIsMissing) {
  for (const PlanningField& field : kPlanningFields) {
    PlanningInfo p = CompletePlanning();
    (p.*field.member).clear();
    EXPECT_FALSE(IsPlanningComplete(p)) << field.name;
    EXPECT_EQ(MissingPlanningFields(p), std::vector<std::string>{std::string(field.name)});
  }
}

TEST(PlanningComplete, CountsWhitespaceOnlyAsMissing) {
  PlanningInfo p = CompletePlanning();
  p.support_impact = " \n\t\r ";
  EXPECT_FALSE(IsPlanningComplete(p));
  EXPECT_EQ(MissingPlanningFields(p), std::vector<std::string>{"support_impact"});
}

TEST(PlanningComplete, ListsMissingFieldsInDisplayOrder) {
  PlanningInfo p;
  p.production_plan = "x";
  p.expected_volume = "y";
  EXPECT_EQ(MissingPlanningFields(p),
            (std::vector<std::string>{"schedule", "service_description", "high_traffic_periods",
                                      "support_impact"}));
}

TEST(OnboardingValidation, AcceptsAValidCase) {
  EXPECT_TRUE(ValidateOnboarding(ValidCase()).empty());
}

TEST(OnboardingValidation, AcceptsACaseWithoutPlanningOrContactsYet) {
  Onboarding o;
  o.service_name = "Minimal";
  EXPECT_TRUE(ValidateOnboarding(o).empty());
}

TEST(OnboardingValidation, RequiresAServiceName) {
  Onboarding o = ValidCase();
  o.service_name = "";
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "service_name", "required"));
  o.service_name = "   ";
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "service_name", "required"));
}

TEST(OnboardingValidation, RejectsLineBreaksInTheServiceName) {
  Onboarding o = ValidCase();
  o.service_name = "Two\nlines";
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "service_name", "control_character"));
}

TEST(OnboardingValidation, LimitsTheServiceNameTo200Characters) {
  Onboarding o = ValidCase();
  o.service_name = std::string(200, 'a');
  EXPECT_TRUE(ValidateOnboarding(o).empty());
  o.service_name = std::string(201, 'a');
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "service_name", "too_long"));
}

TEST(OnboardingValidation, CountsCharactersNotBytesInPlanningText) {
  Onboarding o = ValidCase();
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "\xC3\xA5";  // U+00E5, two bytes each
  o.planning.service_description = text;
  EXPECT_TRUE(ValidateOnboarding(o).empty());
  o.planning.service_description = text + "a";
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "planning/service_description", "too_long"));
}

TEST(OnboardingValidation, AllowsLineBreaksAndTabsInPlanningText) {
  Onboarding o = ValidCase();
  o.planning.production_plan = "1. Test\r\n2. Order production\n\t3. Switch over";
  EXPECT_TRUE(ValidateOnboarding(o).empty());
}

TEST(OnboardingValidation, RejectsOtherControlCharactersInPlanningText) {
  for (const std::string& bad :
       {std::string("bell\x07"), std::string("nul\0x", 5), std::string("del\x7f"),
        std::string("c1 \xC2\x85 next line"), std::string("esc\x1b[31m")}) {
    Onboarding o = ValidCase();
    o.planning.schedule = bad;
    EXPECT_TRUE(HasError(ValidateOnboarding(o), "planning/schedule", "control_character")) << bad;
  }
}

TEST(OnboardingValidation, AcceptsNonControlNonAsciiText) {
  Onboarding o = ValidCase();
  o.service_name = "Søknad om byggetillatelse – Ålesund";
  EXPECT_TRUE(ValidateOnboarding(o).empty());
}

TEST(OnboardingValidation, ChecksContactsLikeOrganisationContacts) {
  Onboarding o = ValidCase();
  o.contacts = {{"", "not-an-email", "12345", "boss"}};
  const auto errors = ValidateOnboarding(o);
  EXPECT_TRUE(HasError(errors, "contacts/0/name", "required"));
  EXPECT_TRUE(HasError(errors, "contacts/0/email", "invalid_email"));
  EXPECT_TRUE(HasError(errors, "contacts/0/mobile", "invalid_e164"));
  EXPECT_TRUE(HasError(errors, "contacts/0/role", "invalid_role"));
}

TEST(OnboardingValidation, AcceptsEveryContactRole) {
  Onboarding o = ValidCase();
  o.contacts = {{"A", "a@example.no", "", "technical"},
                {"B", "b@example.no", "+4740000000", "administrative"},
                {"C", "c@example.no", "", "incident"}};
  EXPECT_TRUE(ValidateOnboarding(o).empty());
}

TEST(OnboardingValidation, LimitsTheNumberOfContacts) {
  Onboarding o = ValidCase();
  o.contacts.assign(21, Contact{"A", "a@example.no", "", "technical"});
  EXPECT_TRUE(HasError(ValidateOnboarding(o), "contacts", "too_many"));
}

TEST(OnboardingState, NamesRoundTrip) {
  for (OnboardingState s : {OnboardingState::kOpen, OnboardingState::kProductionOrdered,
                            OnboardingState::kInProduction, OnboardingState::kWithdrawn}) {
    EXPECT_EQ(ParseOnboardingState(OnboardingStateName(s)), s);
  }
  EXPECT_FALSE(ParseOnboardingState("OPEN"));
  EXPECT_FALSE(ParseOnboardingState(""));
}

TEST(OnboardingState, PatchMayOnlyWithdrawAndReopen) {
  using S = OnboardingState;
  EXPECT_TRUE(IsPatchableTransition(S::kOpen, S::kWithdrawn));
  EXPECT_TRUE(IsPatchableTransition(S::kWithdrawn, S::kOpen));
  EXPECT_TRUE(IsPatchableTransition(S::kInProduction, S::kInProduction));
  EXPECT_FALSE(IsPatchableTransition(S::kOpen, S::kProductionOrdered));
  EXPECT_FALSE(IsPatchableTransition(S::kOpen, S::kInProduction));
  EXPECT_FALSE(IsPatchableTransition(S::kProductionOrdered, S::kWithdrawn));
  EXPECT_FALSE(IsPatchableTransition(S::kInProduction, S::kOpen));
}

TEST(OnboardingState, AWithdrawnCaseRefusesChanges) {
  EXPECT_NO_THROW(RequireOpenForChanges(OnboardingState::kOpen));
  try {
    RequireOpenForChanges(OnboardingState::kWithdrawn);
    FAIL() << "no exception";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_EQ(e.code_name(), "onboarding_closed");
  }
}

TEST(LinkTestClient, AcceptsATestClientOfTheSameOrganisation) {
  EXPECT_NO_THROW(CheckLinkableTestClient("974760673", ClientPlacement{"974760673", "test"}));
}

TEST(LinkTestClient, RefusesEveryOtherClientWithTheSameNotFound) {
  const std::vector<std::optional<ClientPlacement>> refused = {
      std::nullopt, ClientPlacement{"991825827", "test"},
      ClientPlacement{"974760673", "production"}};
  std::string detail;
  for (const auto& client : refused) {
    try {
      CheckLinkableTestClient("974760673", client);
      FAIL() << "no exception";
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
      if (detail.empty()) detail = e.detail();
      EXPECT_EQ(e.detail(), detail) << "the public detail must not tell the cases apart";
      EXPECT_EQ(e.detail().find("991825827"), std::string::npos);
    }
  }
}

TEST(TermsAcceptanceRule, RecordsTheFirstAcceptanceAndNewerVersions) {
  EXPECT_EQ(DecideTermsAcceptance(std::nullopt, 1), TermsAcceptanceDecision::kRecord);
  EXPECT_EQ(DecideTermsAcceptance(1, 2), TermsAcceptanceDecision::kRecord);
}

TEST(TermsAcceptanceRule, TreatsTheSameVersionAsAlreadyAccepted) {
  EXPECT_EQ(DecideTermsAcceptance(3, 3), TermsAcceptanceDecision::kAlreadyAccepted);
}

TEST(TermsAcceptanceRule, RefusesAnOlderVersionThanTheAcceptedOne) {
  EXPECT_EQ(DecideTermsAcceptance(3, 2), TermsAcceptanceDecision::kOlderThanAccepted);
}

Terms ValidTerms() {
  return Terms{"2024-06",
               "Bruksvilkår for ID-porten",
               "https://docs.example.no/vilkar/2024-06",
               "New rules for\nsupport contacts.",
               "",
               ""};
}

TEST(TermsValidation, AcceptsAValidVersion) { EXPECT_TRUE(ValidateTerms(ValidTerms()).empty()); }

TEST(TermsValidation, RequiresEveryField) {
  const auto errors = ValidateTerms(Terms{});
  EXPECT_TRUE(HasError(errors, "version", "required"));
  EXPECT_TRUE(HasError(errors, "title", "required"));
  EXPECT_TRUE(HasError(errors, "url", "required"));
  EXPECT_TRUE(HasError(errors, "summary", "required"));
}

TEST(TermsValidation, AcceptsVersionLabelsOfLettersDigitsDotsDashesAndUnderscores) {
  for (const char* ok : {"1", "2024-06", "v3.1", "A_b-c.9"})
    EXPECT_TRUE(IsValidTermsVersion(ok)) << ok;
  for (const char* bad : {"", "-1", ".1", "1 0", "1/2", "ø", "v1\n"})
    EXPECT_FALSE(IsValidTermsVersion(bad)) << bad;
  EXPECT_TRUE(IsValidTermsVersion(std::string(64, 'a')));
  EXPECT_FALSE(IsValidTermsVersion(std::string(65, 'a')));
}

TEST(TermsValidation, RequiresAnAbsoluteHttpsUrl) {
  for (const char* ok :
       {"https://example.no", "https://example.no:8443/a/b?x=1", "https://docs.digdir.no/vilkar"}) {
    EXPECT_TRUE(IsValidTermsUrl(ok)) << ok;
  }
  for (const char* bad :
       {"http://example.no/vilkar", "https://", "https:///path", "ftp://example.no",
        "https://user@example.no/", "https://example.no/a b", "https://example.no/#top",
        "https://-bad.no/", "https://example..no/", "example.no/vilkar"}) {
    EXPECT_FALSE(IsValidTermsUrl(bad)) << bad;
  }
}

TEST(TermsValidation, KeepsTheTitleOnOneLine) {
  Terms t = ValidTerms();
  t.title = "Two\nlines";
  EXPECT_TRUE(HasError(ValidateTerms(t), "title", "control_character"));
}

TEST(TermsValidation, LimitsTheSummaryTo4000Characters) {
  Terms t = ValidTerms();
  t.summary = std::string(4000, 's');
  EXPECT_TRUE(ValidateTerms(t).empty());
  t.summary = std::string(4001, 's');
  EXPECT_TRUE(HasError(ValidateTerms(t), "summary", "too_long"));
}

}  // namespace
}  // namespace onboard::domain
