#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "e2e_journey.hpp"
#include "verification_e2e.hpp"

namespace onboard::testsupport::verification {
namespace {

class ReadinessApi : public ::testing::Test {
 protected:
  void SetUp() override {
    svc.CreateOrganisation(orgno);
    svc.CreateOrganisation(other_orgno);
  }

  HttpResponse Readiness(const std::string& client_id, const std::string& query = "") {
    return svc.http().Get("/v1/clients/" + client_id + "/readiness" + query, svc.Operator());
  }

  Service svc;
  const std::string orgno = ValidOrgno(21);
  const std::string other_orgno = ValidOrgno(22);
};

// item id -> ok
std::map<std::string, bool> Items(const HttpResponse& r) {
  std::map<std::string, bool> out;
  auto items = r.json->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    out[item->getValue<std::string>("id")] = item->getValue<bool>("ok");
  }
  return out;
}

Poco::JSON::Object::Ptr Item(const HttpResponse& r, const std::string& id) {
  auto items = r.json->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    if (item->getValue<std::string>("id") == id) return item;
  }
  ADD_FAILURE() << "no item " << id << " in " << r.body;
  return new Poco::JSON::Object();
}

std::vector<std::string> Blocking(const HttpResponse& r) {
  std::vector<std::string> out;
  for (const auto& [id, ok] : Items(r)) {
    if (!ok) out.push_back(id);
  }
  return out;
}

using Ids = std::vector<std::string>;

TEST_F(ReadinessApi, ABareTestClientIsBlockedItemByItem) {
  const std::string client_id = svc.CreateTestClient(orgno);
  const HttpResponse r = Readiness(client_id);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_FALSE(r.json->getValue<bool>("ready"));
  EXPECT_EQ(r.json->getArray("items")->size(), 7u);
  EXPECT_EQ(Blocking(r), (Ids{"onboarding_case", "planning_complete", "production_contacts",
                              "terms_accepted", "verification_tests"}));
  EXPECT_FALSE(Item(r, "verification_tests")->getValue<std::string>("detail").empty());
}

TEST_F(ReadinessApi, BecomesReadyOnceEverythingIsInPlace) {
  const std::string client_id = svc.CreateTestClient(orgno);
  svc.CreateCase(orgno, client_id, /*accept_terms=*/false, /*complete_planning=*/false);
  HttpResponse r = Readiness(client_id);
  EXPECT_EQ(Blocking(r), (Ids{"planning_complete", "terms_accepted", "verification_tests"}));
  auto missing = Item(r, "planning_complete")->getArray("missing");
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_EQ(missing->getElement<std::string>(0), "support_impact");

  const std::string other_client = svc.CreateTestClient(orgno);
  svc.CreateCase(orgno, other_client);
  ASSERT_EQ(
      svc.Post("/v1/clients/" + other_client + "/verification-runs",
               Service::RunBody(Service::MandatoryPassed(), svc.DaysAgo(2)), svc.Portal(orgno))
          .status,
      201);
  r = svc.http().Get("/v1/clients/" + other_client + "/readiness", svc.Portal(orgno));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json->getValue<bool>("ready")) << r.body;
  EXPECT_EQ(Blocking(r), Ids{});
  EXPECT_EQ(Item(r, "terms_accepted")->getValue<std::string>("terms_version"), "2024-01");
  EXPECT_EQ(Item(r, "verification_tests")->getArray("cases")->size(), 11u);
}

TEST_F(ReadinessApi, ShowsTheFieldErrorsOfLocalhostRedirectsUnderProductionRules) {
  Poco::JSON::Object overrides;
  overrides.set("redirect_uris", Strings({"http://localhost:8080/callback"}));
  overrides.set("post_logout_redirect_uris", Strings({"http://localhost:8080/logout"}));
  overrides.set("frontchannel_logout_uri", "http://localhost:8080/frontchannel");
  const std::string client_id = svc.CreateTestClient(orgno, overrides);
  svc.CreateCase(orgno, client_id);
  ASSERT_EQ(svc.Post("/v1/clients/" + client_id + "/verification-runs",
                     Service::RunBody(Service::MandatoryPassed(), svc.DaysAgo(1)), svc.Operator())
                .status,
            201);
  const HttpResponse r = Readiness(client_id);
  EXPECT_EQ(Blocking(r), Ids{"production_metadata"});
  std::map<std::string, std::string> errors;
  auto list = Item(r, "production_metadata")->getArray("errors");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto e = list->getObject(static_cast<unsigned>(i));
    errors[e->getValue<std::string>("path")] = e->getValue<std::string>("code");
  }
  EXPECT_EQ(errors.at("redirect_uris/0"), "localhost_not_allowed");
  EXPECT_EQ(errors.at("post_logout_redirect_uris/0"), "localhost_not_allowed");
}

TEST_F(ReadinessApi, OnbehalfofRecordsMakeTest10Required) {
  Poco::JSON::Object record;
  record.set("onbehalfof", "kunde1");
  record.set("display_name", "Kunde AS");
  record.set("orgno", other_orgno);
  Poco::JSON::Array records;
  records.add(record);
  Poco::JSON::Object overrides;
  overrides.set("onbehalfof", records);
  const std::string client_id = svc.CreateTestClient(orgno, overrides);
  svc.CreateCase(orgno, client_id);
  const std::string path = "/v1/clients/" + client_id + "/verification-runs";
  ASSERT_EQ(
      svc.Post(path, Service::RunBody(Service::MandatoryPassed(), svc.DaysAgo(1)), svc.Operator())
          .status,
      201);
  EXPECT_EQ(Blocking(Readiness(client_id)), Ids{"verification_tests"});

  auto with_10 = Service::MandatoryPassed();
  with_10[10] = "passed";
  ASSERT_EQ(svc.Post(path, Service::RunBody(with_10, svc.DaysAgo(0)), svc.Operator()).status, 201);
  EXPECT_EQ(Blocking(Readiness(client_id)), Ids{});
}

TEST_F(ReadinessApi, DeliveryDecidesWhetherAMobileNumberIsNeeded) {
  const std::string client_id = svc.CreateTestClient(orgno);
  const std::string case_id = svc.CreateCase(orgno, client_id);
  // Replace the contact by one without a mobile number.
  Poco::JSON::Object patch;
  patch.set("contacts", journey::Contact{.mobile = ""}.List());
  const HttpResponse patched =
      svc.http().Request("PATCH", "/v1/onboardings/" + case_id, svc.Operator(), Json(patch),
                         "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.Describe();

  HttpResponse r = Readiness(client_id);
  ASSERT_FALSE(Items(r).at("production_contacts"));
  EXPECT_EQ(Item(r, "production_contacts")->getValue<std::string>("delivery"), "sms_zip");
  r = Readiness(client_id, "?delivery=certificate");
  EXPECT_TRUE(Items(r).at("production_contacts")) << r.body;
  r = Readiness(client_id, "?delivery=fax");
  EXPECT_EQ(r.status, 400) << r.Describe();
}

TEST_F(ReadinessApi, RunsOlderThanTheConfiguredAgeNoLongerCount) {
  const std::string client_id = svc.CreateTestClient(orgno);
  svc.CreateCase(orgno, client_id);
  ASSERT_EQ(svc.Post("/v1/clients/" + client_id + "/verification-runs",
                     Service::RunBody(Service::MandatoryPassed(), svc.DaysAgo(10)), svc.Operator())
                .status,
            201);
  EXPECT_EQ(Blocking(Readiness(client_id)), Ids{});
  svc.Restart({{"ONBOARD_VERIFICATION_MAX_AGE_DAYS", "7"}});
  const HttpResponse r = Readiness(client_id);
  EXPECT_EQ(Blocking(r), Ids{"verification_tests"});
  EXPECT_NE(
      Item(r, "verification_tests")->getValue<std::string>("detail").find("older than 7 days"),
      std::string::npos);
}

TEST_F(ReadinessApi, AnswersOnlyForVisibleTestClients) {
  const std::string client_id = svc.CreateTestClient(orgno);
  const HttpResponse production = Readiness(svc.InsertProductionClient(orgno));
  EXPECT_EQ(production.status, 409) << production.Describe();
  EXPECT_EQ(production.json->getValue<std::string>("code"), "not_a_test_client");
  EXPECT_EQ(
      svc.http().Get("/v1/clients/" + client_id + "/readiness", svc.Portal(other_orgno)).status,
      404);
  EXPECT_EQ(svc.http().Get("/v1/clients/" + client_id + "/readiness", svc.Portal(orgno)).status,
            200);
  EXPECT_EQ(svc.http().Get("/v1/clients/" + client_id + "/readiness", svc.Auditor()).status, 403);
  EXPECT_EQ(Readiness("not-a-uuid").status, 404);
}

}  // namespace
}  // namespace onboard::testsupport::verification
