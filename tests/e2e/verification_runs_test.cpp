#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <set>

#include "verification_e2e.hpp"

namespace onboard::testsupport::verification {
namespace {

class VerificationRunsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    svc.CreateOrganisation(orgno);
    svc.CreateOrganisation(other_orgno);
    client_id = svc.CreateTestClient(orgno);
    ASSERT_FALSE(client_id.empty());
  }

  std::string RunsPath() const { return "/v1/clients/" + client_id + "/verification-runs"; }

  Service svc;
  const std::string orgno = ValidOrgno(11);
  const std::string other_orgno = ValidOrgno(12);
  std::string client_id;
};

std::set<std::string> ErrorCodes(const HttpResponse& r) {
  std::set<std::string> out;
  if (!r.json || !r.json->has("errors")) return out;
  auto list = r.json->getArray("errors");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto e = list->getObject(static_cast<unsigned>(i));
    out.insert(e->getValue<std::string>("path") + ":" + e->getValue<std::string>("code"));
  }
  return out;
}

TEST_F(VerificationRunsApi, RecordsACompleteRunWithOneAuditEvent) {
  auto outcomes = Service::MandatoryPassed();
  outcomes[10] = "not_applicable";
  const int64_t before = svc.db().AuditCount();
  const HttpResponse r = svc.Post(RunsPath(), Service::RunBody(outcomes), svc.Operator());
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_TRUE(r.json->getValue<bool>("complete"));
  EXPECT_EQ(r.json->getArray("missing_mandatory")->size(), 0u);
  EXPECT_EQ(r.json->getValue<int>("catalogue_version"), 1);
  EXPECT_EQ(r.json->getValue<std::string>("tester"), "Kari Nordmann");
  EXPECT_EQ(r.json->getValue<std::string>("tested_at"), "2024-05-01T10:00:00.000000Z");
  EXPECT_EQ(r.json->getValue<std::string>("recorded_role"), "operator");
  auto results = r.json->getArray("results");
  ASSERT_EQ(results->size(), 6u);
  EXPECT_EQ(results->getObject(0)->getValue<std::string>("evidence"),
            "acr=idporten-loa-substantial in the id_token");
  EXPECT_EQ(svc.db().AuditCount(), before + 1);
  EXPECT_EQ(AuditCount(svc.db(), "verification_run.record"), 1);
  EXPECT_EQ(QueryScalar(svc.db().url(),
                        "SELECT organisation || ' ' || target_id FROM audit_events WHERE action = "
                        "'verification_run.record'"),
            orgno + " " + r.json->getValue<std::string>("id"));
  EXPECT_TRUE(svc.db().VerifyAudit().intact);
}

TEST_F(VerificationRunsApi, ListsNewestFirstAndNamesTheLatestCompleteRun) {
  const HttpResponse complete =
      svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed(), "2024-05-01T10:00:00Z"),
               svc.Operator());
  ASSERT_EQ(complete.status, 201) << complete.Describe();
  const HttpResponse partial =
      svc.Post(RunsPath(), Service::RunBody({{1, "passed"}, {3, "failed"}}, "2024-05-03T10:00:00Z"),
               svc.Operator());
  ASSERT_EQ(partial.status, 201) << partial.Describe();
  EXPECT_FALSE(partial.json->getValue<bool>("complete"));
  auto missing = partial.json->getArray("missing_mandatory");
  ASSERT_EQ(missing->size(), 3u);
  EXPECT_EQ(missing->getElement<int>(0), 6);
  const HttpResponse older =
      svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed(), "2024-04-01T10:00:00Z"),
               svc.Operator());
  ASSERT_EQ(older.status, 201);

  const HttpResponse list = svc.http().Get(RunsPath(), svc.Operator());
  ASSERT_EQ(list.status, 200) << list.Describe();
  auto items = list.json->getArray("items");
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"),
            partial.json->getValue<std::string>("id"));
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("id"),
            complete.json->getValue<std::string>("id"));
  EXPECT_EQ(items->getObject(2)->getValue<std::string>("id"),
            older.json->getValue<std::string>("id"));
  EXPECT_EQ(list.json->getValue<std::string>("latest_complete_run_id"),
            complete.json->getValue<std::string>("id"));
  EXPECT_EQ(svc.http().Get(RunsPath() + "?limit=1", svc.Operator()).json->getArray("items")->size(),
            1u);
  EXPECT_EQ(svc.http().Get(RunsPath() + "?limit=0", svc.Operator()).status, 400);
}

TEST_F(VerificationRunsApi, RefusesInvalidRunsWithoutWritingAnything) {
  auto outcomes = Service::MandatoryPassed();
  outcomes[7] = "not_applicable";
  outcomes[12] = "passed";
  outcomes[2] = "skipped";
  const int64_t before = svc.db().AuditCount();
  HttpResponse r = svc.Post(RunsPath(), Service::RunBody(outcomes), svc.Operator());
  ASSERT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(ErrorCodes(r), (std::set<std::string>{"results/1/outcome:invalid_value",
                                                  "results/4/outcome:mandatory_not_applicable",
                                                  "results/6/case_id:unknown_case"}));
  r = svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed(), "2999-01-01T00:00:00Z"),
               svc.Operator());
  EXPECT_EQ(ErrorCodes(r), (std::set<std::string>{"tested_at:in_future"}));
  Poco::JSON::Object wrong_version = Service::RunBody(Service::MandatoryPassed());
  wrong_version.set("catalogue_version", 9);
  r = svc.Post(RunsPath(), wrong_version, svc.Operator());
  EXPECT_EQ(ErrorCodes(r), (std::set<std::string>{"catalogue_version:unknown_catalogue_version"}));
  EXPECT_EQ(svc.db().AuditCount(), before);
  EXPECT_EQ(QueryInt(svc.db().url(), "SELECT count(*) FROM verification_runs"), 0);
}

TEST_F(VerificationRunsApi, ProductionClientsTakeNoRuns) {
  const std::string production = svc.InsertProductionClient(orgno);
  const HttpResponse r = svc.Post("/v1/clients/" + production + "/verification-runs",
                                  Service::RunBody(Service::MandatoryPassed()), svc.Operator());
  ASSERT_EQ(r.status, 409) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("code"), "not_a_test_client");
}

TEST_F(VerificationRunsApi, PortalsRecordForTheirOwnOrganisationOnly) {
  const HttpResponse own =
      svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed()), svc.Portal(orgno));
  ASSERT_EQ(own.status, 201) << own.Describe();
  EXPECT_EQ(own.json->getValue<std::string>("recorded_role"), "portal");
  EXPECT_EQ(own.json->getValue<std::string>("portal_user"), "kari@example.no");
  EXPECT_EQ(svc.http().Get(RunsPath(), svc.Portal(orgno)).status, 200);

  // Another organisation's client looks exactly like one that does not exist.
  const HttpResponse foreign =
      svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed()), svc.Portal(other_orgno));
  const HttpResponse missing =
      svc.Post("/v1/clients/00000000-0000-4000-8000-000000000000/verification-runs",
               Service::RunBody(Service::MandatoryPassed()), svc.Portal(other_orgno));
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(foreign.json->getValue<std::string>("detail"),
            missing.json->getValue<std::string>("detail"));
  EXPECT_EQ(svc.http().Get(RunsPath(), svc.Portal(other_orgno)).status, 404);
  EXPECT_EQ(
      svc.Post(RunsPath(), Service::RunBody(Service::MandatoryPassed()), svc.Auditor()).status,
      403);
  EXPECT_EQ(svc.http().Get(RunsPath(), svc.Provider()).status, 403);
}

}  // namespace
}  // namespace onboard::testsupport::verification
