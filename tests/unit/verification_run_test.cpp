#include <gtest/gtest.h>

#include <set>
#include <string>

#include "verification.hpp"
#include "verification_fixtures.hpp"

namespace onboard::domain {
namespace {

using std::chrono::minutes;
using testing::At;
using testing::CatalogueV1;
using testing::ErrorCodes;
using testing::MakeRun;
using testing::MandatoryPassed;

constexpr CaseOutcome kPassed = CaseOutcome::kPassed;
constexpr CaseOutcome kFailed = CaseOutcome::kFailed;
constexpr CaseOutcome kNotApplicable = CaseOutcome::kNotApplicable;

const auto kNow = At("2024-05-02T12:00:00Z");

TEST(VerificationRun, CoveringEveryMandatoryCaseIsComplete) {
  VerificationRun run = MandatoryPassed();
  EXPECT_TRUE(ValidateRun(run, CatalogueV1(), kNow).empty());
  MarkCompleteness(run, CatalogueV1());
  EXPECT_TRUE(run.complete);
  EXPECT_TRUE(run.missing_mandatory.empty());
}

TEST(VerificationRun, FailedMandatoryCasesStillCountAsCovered) {
  VerificationRun run =
      MakeRun({{1, kFailed}, {3, kPassed}, {6, kFailed}, {7, kPassed}, {8, kPassed}});
  MarkCompleteness(run, CatalogueV1());
  EXPECT_TRUE(run.complete);
}

TEST(VerificationRun, LeavingOutMandatoryCasesMakesItIncomplete) {
  VerificationRun run = MakeRun({{1, kPassed}, {3, kPassed}, {2, kPassed}, {10, kNotApplicable}});
  EXPECT_TRUE(ValidateRun(run, CatalogueV1(), kNow).empty());
  MarkCompleteness(run, CatalogueV1());
  EXPECT_FALSE(run.complete);
  EXPECT_EQ(run.missing_mandatory, (std::vector<int>{6, 7, 8}));
}

TEST(VerificationRun, OptionalCasesMayBeNotApplicable) {
  VerificationRun run = MandatoryPassed();
  for (int id : {2, 4, 5, 9, 10, 11}) run.results.push_back(testing::Result(id, kNotApplicable));
  EXPECT_TRUE(ValidateRun(run, CatalogueV1(), kNow).empty());
}

TEST(VerificationRun, MandatoryCasesCannotBeNotApplicable) {
  VerificationRun run =
      MakeRun({{1, kPassed}, {3, kPassed}, {6, kPassed}, {7, kNotApplicable}, {8, kPassed}});
  EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
            (std::set<std::string>{"results/3/outcome:mandatory_not_applicable"}));
}

TEST(VerificationRun, RejectsCasesOutsideTheCatalogueVersion) {
  VerificationRun run = MandatoryPassed();
  run.results.push_back(testing::Result(12, kPassed));
  EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
            (std::set<std::string>{"results/5/case_id:unknown_case"}));
}

TEST(VerificationRun, RejectsACaseGivenTwice) {
  VerificationRun run = MandatoryPassed();
  run.results.push_back(testing::Result(1, kFailed));
  EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
            (std::set<std::string>{"results/5/case_id:duplicate_case"}));
}

TEST(VerificationRun, NeedsTesterTimeAndResults) {
  VerificationRun run = MakeRun({});
  run.tester = " ";
  run.tested_at = "";
  EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
            (std::set<std::string>{"tester:required", "tested_at:required", "results:required"}));
}

TEST(VerificationRun, RejectsMalformedTestingTimes) {
  for (const char* when :
       {"2024-05-01", "2024-05-01 10:00:00Z", "2024-05-01T10:00:00", "yesterday",
        "2024-02-30T10:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00+2:00"}) {
    VerificationRun run = MandatoryPassed(when);
    EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
              (std::set<std::string>{"tested_at:invalid_time"}))
        << when;
  }
}

TEST(VerificationRun, RejectsTestingTimesInTheFutureBeyondClockSkew) {
  EXPECT_TRUE(ValidateRun(MandatoryPassed("2024-05-02T12:04:59Z"), CatalogueV1(), kNow).empty());
  EXPECT_EQ(ErrorCodes(ValidateRun(MandatoryPassed("2024-05-02T12:05:01Z"), CatalogueV1(), kNow)),
            (std::set<std::string>{"tested_at:in_future"}));
  EXPECT_EQ(ErrorCodes(ValidateRun(MandatoryPassed("2999-01-01T00:00:00Z"), CatalogueV1(), kNow)),
            (std::set<std::string>{"tested_at:in_future"}));
  // 14:30 at +02:00 is 12:30 UTC.
  EXPECT_EQ(
      ErrorCodes(ValidateRun(MandatoryPassed("2024-05-02T14:30:00+02:00"), CatalogueV1(), kNow)),
      (std::set<std::string>{"tested_at:in_future"}));
}

TEST(VerificationRun, LimitsEvidenceAndAttachment) {
  VerificationRun run = MandatoryPassed();
  run.results[0].evidence = "acr=idporten-loa-substantial\nsid=abc";
  run.results[1].evidence = std::string(kMaxEvidenceChars + 1, 'x');
  run.results[2].attachment = "https://files.example.no/shot.png\n";
  EXPECT_EQ(ErrorCodes(ValidateRun(run, CatalogueV1(), kNow)),
            (std::set<std::string>{"results/1/evidence:too_long",
                                   "results/2/attachment:control_character"}));
}

TEST(VerificationRun, CompletenessFollowsTheRunsOwnCatalogueVersion) {
  VerificationCatalogue v2 = CatalogueV1();
  v2.version = 2;
  v2.cases.push_back(testing::Case(12, "new_mandatory_case", true));
  VerificationRun run = MandatoryPassed();
  MarkCompleteness(run, CatalogueV1());
  EXPECT_TRUE(run.complete);
  MarkCompleteness(run, v2);
  EXPECT_FALSE(run.complete);
  EXPECT_EQ(run.missing_mandatory, (std::vector<int>{12}));
}

TEST(VerificationRun, OutcomeNamesRoundTrip) {
  for (CaseOutcome o : {kPassed, kFailed, kNotApplicable})
    EXPECT_EQ(CaseOutcomeFromString(ToString(o)), o);
  EXPECT_EQ(CaseOutcomeFromString("skipped"), std::nullopt);
  EXPECT_EQ(CaseOutcomeFromString("PASSED"), std::nullopt);
}

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
  using namespace std::chrono;
  const sys_seconds base = sys_days{year{2024} / May / 1} + hours{10};
  EXPECT_EQ(ParseRfc3339("2024-05-01T10:00:00Z"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01t10:00:00z"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T10:00:00.123456Z"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T12:00:00+02:00"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T09:30:00-00:30"), base);
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00Z"),
            sys_seconds{sys_days{year{2024} / February / 29}});
}

TEST(Rfc3339, RejectsEverythingElse) {
  for (const char* text : {"", "2024-05-01T10:00:00", "2024-05-01T10:00Z", "2023-02-29T00:00:00Z",
                           "2024-13-01T00:00:00Z", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00Z ",
                           "2024-05-01T10:00:00+0200", "２０２４-05-01T10:00:00Z"}) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace onboard::domain
