#include <gtest/gtest.h>

#include <set>
#include <string>

#include "verification.hpp"
#include "verification_fixtures.hpp"

namespace onboard::domain {
namespace {

using testing::Case;
using testing::CatalogueV1;
using testing::ErrorCodes;
using testing::ProductionReadyMetadata;

std::set<int> RequiredCases(const VerificationCatalogue& catalogue,
                            const ClientMetadata& metadata) {
  std::set<int> out;
  for (const auto& c : catalogue.cases) {
    if (IsRequiredFor(c, metadata)) out.insert(c.id);
  }
  return out;
}

TEST(VerificationCatalogue, RequiresOnlyTheFiveMandatoryCasesOfAPlainClient) {
  ClientMetadata plain = ProductionReadyMetadata();
  plain.frontchannel_logout_uri.reset();
  EXPECT_EQ(RequiredCases(CatalogueV1(), plain), (std::set<int>{1, 3, 6, 7, 8}));
}

TEST(VerificationCatalogue, OnbehalfofRecordsMakeTest10Required) {
  ClientMetadata m = ProductionReadyMetadata();
  m.onbehalfof.push_back({"kunde1", "Kunde AS", "910000004", std::nullopt});
  EXPECT_EQ(RequiredCases(CatalogueV1(), m), (std::set<int>{1, 3, 6, 7, 8, 10}));
}

TEST(VerificationCatalogue, SsoDisabledMakesForcedReauthenticationRequired) {
  ClientMetadata m = ProductionReadyMetadata();
  m.sso_disabled = true;
  EXPECT_EQ(RequiredCases(CatalogueV1(), m), (std::set<int>{1, 3, 6, 7, 8, 9}));
}

TEST(VerificationCatalogue, LevelHighUpgradeAndLanguageAreNeverRequiredByAFeature) {
  ClientMetadata m = ProductionReadyMetadata();
  m.sso_disabled = true;
  m.onbehalfof.push_back({"kunde1", "Kunde AS", "910000004", std::nullopt});
  const std::set<int> required = RequiredCases(CatalogueV1(), m);
  for (int id : {2, 4, 5, 11}) EXPECT_EQ(required.count(id), 0u) << "case " << id;
}

TEST(VerificationCatalogue, FrontchannelLogoutUriIsTheFeatureOfMandatoryTest7) {
  const VerificationCatalogue v1 = CatalogueV1();
  const VerificationCase* seven = v1.Find(7);
  ASSERT_NE(seven, nullptr);
  EXPECT_TRUE(seven->mandatory);
  EXPECT_EQ(seven->feature, ClientFeature::kFrontchannelLogoutUri);
  ClientMetadata without = ProductionReadyMetadata();
  without.frontchannel_logout_uri.reset();
  EXPECT_TRUE(IsRequiredFor(*seven, without));
  EXPECT_FALSE(HasFeature(without, ClientFeature::kFrontchannelLogoutUri));
  EXPECT_TRUE(HasFeature(ProductionReadyMetadata(), ClientFeature::kFrontchannelLogoutUri));
}

TEST(VerificationCatalogue, FindsCasesById) {
  const VerificationCatalogue v1 = CatalogueV1();
  ASSERT_NE(v1.Find(10), nullptr);
  EXPECT_EQ(v1.Find(10)->name, "onbehalfof");
  EXPECT_EQ(v1.Find(12), nullptr);
  EXPECT_EQ(v1.Find(0), nullptr);
}

TEST(VerificationCatalogue, FeatureNamesRoundTrip) {
  for (ClientFeature f : {ClientFeature::kOnBehalfOf, ClientFeature::kFrontchannelLogoutUri,
                          ClientFeature::kSsoDisabled}) {
    EXPECT_EQ(ClientFeatureFromString(ToString(f)), f);
  }
  EXPECT_EQ(ClientFeatureFromString("ui_locales"), std::nullopt);
  EXPECT_EQ(ClientFeatureFromString("OnBehalfOf"), std::nullopt);
}

TEST(VerificationCatalogue, AcceptsVersionOne) {
  EXPECT_TRUE(ValidateCatalogueCases(CatalogueV1().cases).empty());
}

TEST(VerificationCatalogue, RejectsAnEmptyList) {
  EXPECT_EQ(ErrorCodes(ValidateCatalogueCases({})), (std::set<std::string>{"cases:required"}));
}

TEST(VerificationCatalogue, RejectsDuplicateIdsAndNames) {
  auto cases = CatalogueV1().cases;
  cases.push_back(Case(3, "another_name", false));
  cases.push_back(Case(12, "onbehalfof", false));
  EXPECT_EQ(ErrorCodes(ValidateCatalogueCases(cases)),
            (std::set<std::string>{"cases/11/id:duplicate_case", "cases/12/name:duplicate_name"}));
}

TEST(VerificationCatalogue, RejectsBadIdsNamesAndTexts) {
  auto cases = CatalogueV1().cases;
  cases[0].id = 0;
  cases[1].id = 1000;
  cases[2].name = "Has Spaces";
  cases[3].name = "9starts_with_digit";
  cases[4].title = "";
  cases[5].description = "  ";
  cases[6].title = "line\nbreak";
  EXPECT_EQ(ErrorCodes(ValidateCatalogueCases(cases)),
            (std::set<std::string>{"cases/0/id:out_of_range", "cases/1/id:out_of_range",
                                   "cases/2/name:invalid_name", "cases/3/name:invalid_name",
                                   "cases/4/title:required", "cases/5/description:required",
                                   "cases/6/title:control_character"}));
}

TEST(VerificationCatalogue, AcceptsMultiLineDescriptions) {
  auto cases = CatalogueV1().cases;
  cases[0].description = "Step 1: log in.\nStep 2: check acr.";
  EXPECT_TRUE(ValidateCatalogueCases(cases).empty());
}

TEST(VerificationCatalogue, NeedsAtLeastOneMandatoryCase) {
  std::vector<VerificationCase> cases = {Case(2, "sso_from_own_service_high", false)};
  EXPECT_EQ(ErrorCodes(ValidateCatalogueCases(cases)),
            (std::set<std::string>{"cases:no_mandatory_case"}));
}

TEST(VerificationCatalogue, RejectsMoreThanTheMaximumNumberOfCases) {
  std::vector<VerificationCase> cases;
  for (int i = 1; i <= static_cast<int>(kMaxCatalogueCases) + 1; ++i) {
    cases.push_back(Case(i, "case_" + std::to_string(i), true));
  }
  EXPECT_EQ(ErrorCodes(ValidateCatalogueCases(cases)), (std::set<std::string>{"cases:too_many"}));
  cases.pop_back();
  EXPECT_TRUE(ValidateCatalogueCases(cases).empty());
}

}  // namespace
}  // namespace onboard::domain
