#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <cctype>
#include <set>
#include <string>

#include "handlers/onboarding_codecs.hpp"
#include "openapi_document.hpp"
#include "uuid.hpp"
#include "router.hpp"

namespace onboard::http::handlers {
namespace {

Poco::JSON::Object::Ptr Parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

domain::PlanningInfo ReadPatch(const std::string& body, domain::PlanningInfo start,
                               std::vector<FieldError>* errors) {
  const auto obj = Parse(body);
  JsonFields fields(*obj);
  const usecases::PlanningPatch patch = ReadPlanningPatch(fields);
  *errors = fields.Problems();
  return patch.ApplyTo(start);
}

TEST(OnboardingJson, ShowsThePlanningRuleAndEmptyPartsExplicitly) {
  domain::Onboarding o;
  o.id = "6f1c1c9e-4b7e-4f59-9d55-0c8c0d1d2a11";
  o.organisation = "974760673";
  o.service_name = "Permits";
  o.planning.schedule = "May";
  const auto json = OnboardingJson(o);
  EXPECT_FALSE(json->getValue<bool>("planning_complete"));
  EXPECT_EQ(json->getArray("planning_missing")->size(), 5u);
  EXPECT_EQ(json->getObject("planning")->getValue<std::string>("schedule"), "May");
  EXPECT_EQ(json->getObject("planning")->getValue<std::string>("support_impact"), "");
  EXPECT_TRUE(json->isNull("terms_acceptance"));
  EXPECT_TRUE(json->isNull("production_client_id"));
  EXPECT_EQ(json->getValue<std::string>("state"), "open");
}

TEST(OnboardingJson, ShowsTheAcceptanceWithANullPortalUserForOperators) {
  domain::Onboarding o;
  o.terms_acceptance =
      domain::TermsAcceptance{"2024-06", "2024-06-01T10:00:00.000000Z", "ops", "operator", ""};
  const auto acceptance = OnboardingJson(o)->getObject("terms_acceptance");
  ASSERT_TRUE(acceptance);
  EXPECT_EQ(acceptance->getValue<std::string>("terms_version"), "2024-06");
  EXPECT_TRUE(acceptance->isNull("portal_user"));
}

TEST(PlanningPatch, KeepsAbsentFieldsClearsNullAndReplacesStrings) {
  domain::PlanningInfo start;
  start.schedule = "old schedule";
  start.expected_volume = "old volume";
  start.support_impact = "old impact";
  std::vector<FieldError> errors;
  const auto next =
      ReadPatch(R"({"planning":{"schedule":"new","expected_volume":null,"support_impact":""}})",
                start, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(next.schedule, "new");
  EXPECT_EQ(next.expected_volume, "");
  EXPECT_EQ(next.support_impact, "");
  EXPECT_EQ(next.production_plan, start.production_plan);
}

TEST(PlanningPatch, NullPlanningClearsEveryField) {
  domain::PlanningInfo start;
  start.schedule = "x";
  start.production_plan = "y";
  std::vector<FieldError> errors;
  const auto next = ReadPatch(R"({"planning":null})", start, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(domain::MissingPlanningFields(next).size() == std::size(domain::kPlanningFields));
}

TEST(PlanningPatch, RejectsUnknownFieldsAndWrongTypesWithTheirPaths) {
  std::vector<FieldError> errors;
  ReadPatch(R"({"planning":{"budget":"x","schedule":7}})", {}, &errors);
  ASSERT_EQ(errors.size(), 2u);
  std::set<std::string> paths;
  for (const auto& e : errors) paths.insert(e.path);
  EXPECT_EQ(paths, (std::set<std::string>{"planning/budget", "planning/schedule"}));
}

TEST(PlanningPatch, RejectsAPlanningThatIsNotAnObject) {
  std::vector<FieldError> errors;
  ReadPatch(R"({"planning":"everything"})", {}, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "planning");
}

TEST(OnboardingIds, AcceptOnlyCanonicalUuids) {
  EXPECT_TRUE(onboard::IsUuid("6f1c1c9e-4b7e-4f59-9d55-0c8c0d1d2a11"));
  EXPECT_TRUE(onboard::IsUuid("6F1C1C9E-4B7E-4F59-9D55-0C8C0D1D2A11"));
  EXPECT_FALSE(onboard::IsUuid("6f1c1c9e4b7e4f599d550c8c0d1d2a11"));
  EXPECT_FALSE(onboard::IsUuid("6f1c1c9e-4b7e-4f59-9d55-0c8c0d1d2a1g"));
  EXPECT_FALSE(onboard::IsUuid("../../etc/passwd"));
  EXPECT_FALSE(onboard::IsUuid(""));
}

// The routes of this slice with the roles the issue asks for.
const std::set<std::string> kOperatorAndPortal = {"POST /v1/onboardings",
                                                  "GET /v1/onboardings",
                                                  "GET /v1/onboardings/{id}",
                                                  "PATCH /v1/onboardings/{id}",
                                                  "POST /v1/onboardings/{id}/clients",
                                                  "POST /v1/onboardings/{id}/terms-acceptance",
                                                  "GET /v1/terms",
                                                  "GET /v1/terms/{version}"};
const std::set<std::string> kOperatorOnlyRoutes = {"POST /v1/terms"};

TEST(OnboardingRoutes, AreRoutedWithTheIssuesRoles) {
  std::set<std::string> seen;
  for (const Route& r : ApiRoutes()) {
    const std::string key = r.method + " " + r.path;
    if (kOperatorAndPortal.contains(key)) {
      EXPECT_EQ(r.roles,
                domain::RoleBit(domain::Role::kOperator) | domain::RoleBit(domain::Role::kPortal))
          << key;
      seen.insert(key);
    } else if (kOperatorOnlyRoutes.contains(key)) {
      EXPECT_EQ(r.roles, domain::RoleBit(domain::Role::kOperator)) << key;
      seen.insert(key);
    }
  }
  EXPECT_EQ(seen.size(), kOperatorAndPortal.size() + kOperatorOnlyRoutes.size());
}

TEST(OnboardingRoutes, AreDocumentedInTheOpenapiDocument) {
  const auto paths = Parse(std::string(OpenapiDocument()))->getObject("paths");
  std::set<std::string> keys = kOperatorAndPortal;
  keys.insert(kOperatorOnlyRoutes.begin(), kOperatorOnlyRoutes.end());
  for (const std::string& key : keys) {
    const auto space = key.find(' ');
    std::string method = key.substr(0, space);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto item = paths->getObject(key.substr(space + 1));
    ASSERT_TRUE(item) << key;
    EXPECT_TRUE(item->has(method)) << key;
  }
}

}  // namespace
}  // namespace onboard::http::handlers
