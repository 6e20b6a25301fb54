#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <memory>
#include <sstream>

#include "crypto.hpp"
#include "e2e_client_rows.hpp"
#include "e2e_journey.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {
namespace {

std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// One database and one onboard-api process for the whole file; every test works in
// organisations of its own, so the tests do not see each other's cases.
class OnboardingApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TempDatabase();
    operator_ =
        new TestToken(CreateToken(db_->url(), domain::Role::kOperator, "onboarding-operator"));
    portal_ = new TestToken(CreateToken(db_->url(), domain::Role::kPortal, "onboarding-portal"));
    auditor_ = new TestToken(CreateToken(db_->url(), domain::Role::kAuditor, "onboarding-auditor"));
    api_ = new ApiProcess(db_->url());
  }
  static void TearDownTestSuite() {
    delete api_;
    delete auditor_;
    delete portal_;
    delete operator_;
    delete db_;
    api_ = nullptr;
    db_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(api_, nullptr);
    http_ = std::make_unique<HttpClient>(api_->port());
  }

  // A fresh, registered organisation for one test.
  std::string NewOrganisation() {
    const std::string orgno = ValidOrgno(next_org_++, 93000000);
    Poco::JSON::Object body;
    body.set("orgno", orgno);
    body.set("name", "Org " + orgno);
    const HttpResponse r = http_->Post("/v1/organisations", Json(body), Op());
    EXPECT_EQ(r.status, 201) << r.Describe();
    return orgno;
  }

  // Clients belong to the clients slice; a row is all linking needs.
  std::string AddClient(const std::string& orgno, const std::string& environment) {
    return InsertBareClient(db_->url(), orgno, environment);
  }

  static Headers Op(Headers more = {}) { return Bearer(operator_->secret, std::move(more)); }
  static Headers PortalFor(const std::string& orgno, Headers more = {}) {
    more.push_back({"X-Onboard-Org", orgno});
    more.push_back({"X-Onboard-User", "ola.nordmann@example.no"});
    return Bearer(portal_->secret, std::move(more));
  }

  HttpResponse CreateCase(const std::string& orgno, const std::string& service,
                          const Headers& headers) {
    Poco::JSON::Object body;
    body.set("organisation", orgno);
    body.set("service_name", service);
    return http_->Post("/v1/onboardings", Json(body), headers);
  }

  std::string CreateCaseId(const std::string& orgno, const std::string& service) {
    const HttpResponse r = CreateCase(orgno, service, Op());
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("id") : std::string();
  }

  HttpResponse Patch(const std::string& path, const std::string& body, const Headers& headers) {
    return http_->Request("PATCH", path, headers, body, "application/merge-patch+json");
  }

  int64_t AuditFor(const std::string& target, const std::string& action) {
    return QueryInt(db_->url(), "SELECT count(*) FROM audit_events WHERE target_id = '" + target +
                                    "' AND action = '" + action + "'");
  }

  static Poco::JSON::Object CompletePlanning() {
    return journey::Planning{.schedule = "Test in March, production in May",
                             .production_plan = "Switch over on 2 May at 06:00",
                             .service_description = "Applications for building permits",
                             .expected_volume = "20 000 logins a month",
                             .high_traffic_periods = "April",
                             .support_impact = "Low"}
        .Body();
  }

  static bool HasFieldError(const HttpResponse& r, const std::string& path) {
    if (!r.json || !r.json->has("errors")) return false;
    const auto errors = r.json->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
      if (errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("path") == path)
        return true;
    }
    return false;
  }

  static inline TempDatabase* db_ = nullptr;
  static inline TestToken* operator_ = nullptr;
  static inline TestToken* portal_ = nullptr;
  static inline TestToken* auditor_ = nullptr;
  static inline ApiProcess* api_ = nullptr;
  static inline int next_org_ = 0;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(OnboardingApiTest, OperatorOpensReadsAndCompletesACase) {
  const std::string org = NewOrganisation();
  Poco::JSON::Object body;
  body.set("organisation", org);
  body.set("service_name", "Building permits");
  Poco::JSON::Object planning;
  planning.set("schedule", "Production in May");
  body.set("planning", planning);
  body.set("contacts",
           journey::Contact{.name = "Kari Nordmann", .email = "kari@example.no"}.List());

  const HttpResponse created = http_->Post("/v1/onboardings", Json(body), Op());
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("id");
  EXPECT_EQ(created.Header("Location"), "/v1/onboardings/" + id);
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_EQ(created.json->getValue<std::string>("organisation"), org);
  EXPECT_EQ(created.json->getValue<std::string>("state"), "open");
  EXPECT_FALSE(created.json->getValue<bool>("planning_complete"));
  EXPECT_EQ(created.json->getArray("planning_missing")->size(), 5u);
  EXPECT_EQ(created.json->getObject("planning")->getValue<std::string>("schedule"),
            "Production in May");
  EXPECT_EQ(created.json->getArray("contacts")->size(), 1u);
  EXPECT_EQ(created.json->getArray("test_clients")->size(), 0u);
  EXPECT_TRUE(created.json->isNull("terms_acceptance"));
  EXPECT_TRUE(created.json->isNull("production_client_id"));
  EXPECT_EQ(created.json->getValue<std::string>("created_by"), "onboarding-operator");
  EXPECT_EQ(AuditFor(id, "onboarding.create"), 1);

  const HttpResponse got = http_->Get("/v1/onboardings/" + id, Op());
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.Header("ETag"), "\"1\"");
  EXPECT_EQ(got.json->getValue<std::string>("service_name"), "Building permits");

  Poco::JSON::Object patch;
  patch.set("planning", CompletePlanning());
  const HttpResponse patched =
      Patch("/v1/onboardings/" + id, Json(patch), Op({{"If-Match", "\"1\""}}));
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(patched.Header("ETag"), "\"2\"");
  EXPECT_TRUE(patched.json->getValue<bool>("planning_complete"));
  EXPECT_EQ(patched.json->getArray("planning_missing")->size(), 0u);
  EXPECT_EQ(patched.json->getArray("contacts")->size(), 1u)
      << "a merge patch keeps what it does not name";
  EXPECT_EQ(AuditFor(id, "onboarding.update"), 1);

  // Audit details name the changed fields, never the planning text or contact data.
  const auto detail =
      QueryScalar(db_->url(), "SELECT detail FROM audit_events WHERE target_id = '" + id +
                                  "' AND action = 'onboarding.update'");
  ASSERT_TRUE(detail);
  EXPECT_NE(detail->find("planning/production_plan"), std::string::npos) << *detail;
  EXPECT_EQ(detail->find("Switch over"), std::string::npos) << *detail;

  // A merge patch clearing one planning field makes the plan incomplete again.
  const HttpResponse cleared =
      Patch("/v1/onboardings/" + id, R"({"planning":{"support_impact":null}})",
            Op({{"If-Match", "\"2\""}}));
  ASSERT_EQ(cleared.status, 200) << cleared.Describe();
  EXPECT_FALSE(cleared.json->getValue<bool>("planning_complete"));
  EXPECT_EQ(cleared.json->getArray("planning_missing")->getElement<std::string>(0),
            "support_impact");
}

TEST_F(OnboardingApiTest, PatchWithAStaleIfMatchIsRefusedAndChangesNothing) {
  const std::string id = CreateCaseId(NewOrganisation(), "Payroll");
  ASSERT_EQ(
      Patch("/v1/onboardings/" + id, R"({"service_name":"Payroll 2"})", Op({{"If-Match", "\"1\""}}))
          .status,
      200);
  const HttpResponse stale = Patch("/v1/onboardings/" + id, R"({"service_name":"Payroll 3"})",
                                   Op({{"If-Match", "\"1\""}}));
  EXPECT_EQ(stale.status, 412) << stale.Describe();
  EXPECT_EQ(stale.json->getValue<std::string>("code"), "version_mismatch");
  const HttpResponse malformed =
      Patch("/v1/onboardings/" + id, R"({"service_name":"x"})", Op({{"If-Match", "abc"}}));
  EXPECT_EQ(malformed.status, 412);
  const HttpResponse got = http_->Get("/v1/onboardings/" + id, Op());
  EXPECT_EQ(got.json->getValue<std::string>("service_name"), "Payroll 2");
  EXPECT_EQ(got.json->getValue<int>("version"), 2);
  EXPECT_EQ(AuditFor(id, "onboarding.update"), 1);
}

TEST_F(OnboardingApiTest, APatchThatChangesNothingWritesNothing) {
  const std::string id = CreateCaseId(NewOrganisation(), "Same");
  const HttpResponse r =
      Patch("/v1/onboardings/" + id, R"({"service_name":"Same","planning":{}})", Op());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<int>("version"), 1);
  EXPECT_EQ(AuditFor(id, "onboarding.update"), 0);
}

TEST_F(OnboardingApiTest, ValidationReportsEveryBadFieldAsProblemJson) {
  const std::string org = NewOrganisation();
  Poco::JSON::Object body;
  body.set("organisation", org);
  body.set("service_name", "Bell\x07");
  body.set("colour", "blue");
  Poco::JSON::Object planning;
  planning.set("schedule", std::string(4001, 'x'));
  planning.set("budget", "big");
  planning.set("expected_volume", 42);
  body.set("planning", planning);
  body.set("contacts",
           journey::Contact{.name = "Kari", .email = "not-an-email", .mobile = ""}.List());
  const HttpResponse r = http_->Post("/v1/onboardings", Json(body), Op());
  ASSERT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u) << r.content_type;
  for (const char* path : {"service_name", "colour", "planning/schedule", "planning/budget",
                           "planning/expected_volume", "contacts/0/email"}) {
    EXPECT_TRUE(HasFieldError(r, path)) << path << "\n" << r.Describe();
  }
  EXPECT_EQ(
      QueryInt(db_->url(), "SELECT count(*) FROM onboardings WHERE organisation = '" + org + "'"),
      0);

  const HttpResponse bad_state = Patch("/v1/onboardings/" + CreateCaseId(org, "Valid"),
                                       R"({"state":"in_production","version":3})", Op());
  EXPECT_EQ(bad_state.status, 400);
  EXPECT_TRUE(HasFieldError(bad_state, "state")) << bad_state.Describe();
  EXPECT_TRUE(HasFieldError(bad_state, "version")) << "read-only fields are unknown to a patch";
}

TEST_F(OnboardingApiTest, RefusesASecondCaseForTheSameService) {
  const std::string org = NewOrganisation();
  CreateCaseId(org, "Tax");
  const HttpResponse dup = CreateCase(org, "tax", Op());
  EXPECT_EQ(dup.status, 409) << dup.Describe();
  EXPECT_EQ(dup.json->getValue<std::string>("code"), "onboarding_exists");
}

TEST_F(OnboardingApiTest, ListsCasesNewestFirstWithCursorPaginationAndFilters) {
  const std::string org = NewOrganisation();
  const std::string other = NewOrganisation();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(CreateCaseId(org, "Service " + std::to_string(i)));
  CreateCaseId(other, "Not mine");

  const HttpResponse first = http_->Get("/v1/onboardings?organisation=" + org + "&limit=2", Op());
  ASSERT_EQ(first.status, 200) << first.Describe();
  auto items = first.json->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"), ids[2]);
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("id"), ids[1]);
  const std::string cursor = first.json->getValue<std::string>("next_cursor");

  const HttpResponse second =
      http_->Get("/v1/onboardings?organisation=" + org + "&limit=2&cursor=" + cursor, Op());
  ASSERT_EQ(second.status, 200) << second.Describe();
  items = second.json->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"), ids[0]);
  EXPECT_TRUE(second.json->isNull("next_cursor"));

  ASSERT_EQ(Patch("/v1/onboardings/" + ids[1], R"({"state":"withdrawn"})", Op()).status, 200);
  const HttpResponse withdrawn =
      http_->Get("/v1/onboardings?organisation=" + org + "&state=withdrawn", Op());
  ASSERT_EQ(withdrawn.status, 200);
  ASSERT_EQ(withdrawn.json->getArray("items")->size(), 1u);
  EXPECT_EQ(withdrawn.json->getArray("items")->getObject(0)->getValue<std::string>("id"), ids[1]);

  EXPECT_EQ(http_->Get("/v1/onboardings?state=finished", Op()).status, 400);
  EXPECT_EQ(http_->Get("/v1/onboardings?organisation=123", Op()).status, 400);
  EXPECT_EQ(http_->Get("/v1/onboardings?limit=0", Op()).status, 400);
  EXPECT_EQ(http_->Get("/v1/onboardings?cursor=bm90LWEtbnVtYmVy", Op()).status, 400);
}

TEST_F(OnboardingApiTest, PortalSeesAndChangesOnlyItsOwnOrganisationsCases) {
  const std::string mine = NewOrganisation();
  const std::string theirs = NewOrganisation();
  const std::string my_case = CreateCaseId(mine, "Mine");
  const std::string their_case = CreateCaseId(theirs, "Theirs");
  const Headers portal = PortalFor(mine);

  EXPECT_EQ(http_->Get("/v1/onboardings/" + my_case, portal).status, 200);

  // Another organisation's case answers exactly like a case that does not exist.
  const HttpResponse foreign = http_->Get("/v1/onboardings/" + their_case, portal);
  const HttpResponse missing = http_->Get("/v1/onboardings/" + crypto::NewUuid(), portal);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.status, 404);
  ASSERT_TRUE(foreign.json && missing.json);
  EXPECT_EQ(foreign.json->getValue<std::string>("detail"),
            missing.json->getValue<std::string>("detail"));
  EXPECT_EQ(foreign.json->getValue<std::string>("code"),
            missing.json->getValue<std::string>("code"));
  EXPECT_EQ(foreign.body.find(theirs), std::string::npos);

  EXPECT_EQ(Patch("/v1/onboardings/" + their_case, R"({"service_name":"Hijacked"})", portal).status,
            404);
  EXPECT_EQ(http_
                ->Post("/v1/onboardings/" + their_case + "/clients",
                       R"({"client_id":")" + AddClient(theirs, "test") + "\"}", portal)
                .status,
            404);
  EXPECT_EQ(http_
                ->Post("/v1/onboardings/" + their_case + "/terms-acceptance",
                       R"({"terms_version":"x"})", portal)
                .status,
            404);
  EXPECT_EQ(AuditFor(their_case, "onboarding.update") +
                AuditFor(their_case, "onboarding.link_client") +
                AuditFor(their_case, "onboarding.accept_terms"),
            0);
  EXPECT_EQ(
      http_->Get("/v1/onboardings/" + their_case, Op()).json->getValue<std::string>("service_name"),
      "Theirs");

  const HttpResponse list = http_->Get("/v1/onboardings", portal);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json->getArray("items")->size(), 1u);
  EXPECT_EQ(list.json->getArray("items")->getObject(0)->getValue<std::string>("id"), my_case);
  const HttpResponse filtered = http_->Get("/v1/onboardings?organisation=" + theirs, portal);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.json->getArray("items")->size(), 0u);

  EXPECT_EQ(CreateCase(theirs, "Sneaky", portal).status, 403);
  const HttpResponse own =
      http_->Post("/v1/onboardings", R"({"service_name":"Portal made"})", portal);
  ASSERT_EQ(own.status, 201) << own.Describe();
  EXPECT_EQ(own.json->getValue<std::string>("organisation"), mine);
  const std::string own_id = own.json->getValue<std::string>("id");
  const auto portal_user =
      QueryScalar(db_->url(), "SELECT portal_user FROM audit_events WHERE target_id = '" + own_id +
                                  "' AND action = 'onboarding.create'");
  EXPECT_EQ(portal_user.value_or(""), "ola.nordmann@example.no");

  EXPECT_EQ(http_->Get("/v1/onboardings", Bearer(auditor_->secret)).status, 403);
}

TEST_F(OnboardingApiTest, LinksTestClientsOfTheSameOrganisationOnly) {
  const std::string org = NewOrganisation();
  const std::string other = NewOrganisation();
  const std::string id = CreateCaseId(org, "Linked");
  const std::string client = AddClient(org, "test");
  const Headers portal = PortalFor(org);

  const HttpResponse linked = http_->Post("/v1/onboardings/" + id + "/clients",
                                          R"({"client_id":")" + client + "\"}", portal);
  ASSERT_EQ(linked.status, 200) << linked.Describe();
  EXPECT_EQ(linked.Header("ETag"), "\"2\"");
  auto clients = linked.json->getArray("test_clients");
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("client_id"), client);
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("environment"), "test");
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("linked_by"), "onboarding-portal");
  EXPECT_EQ(AuditFor(id, "onboarding.link_client"), 1);

  const HttpResponse again = http_->Post("/v1/onboardings/" + id + "/clients",
                                         R"({"client_id":")" + client + "\"}", portal);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json->getValue<int>("version"), 2);
  EXPECT_EQ(AuditFor(id, "onboarding.link_client"), 1);

  for (const std::string& refused :
       {AddClient(other, "test"), AddClient(org, "production"), crypto::NewUuid()}) {
    const HttpResponse r = http_->Post("/v1/onboardings/" + id + "/clients",
                                       R"({"client_id":")" + refused + "\"}", portal);
    EXPECT_EQ(r.status, 404) << r.Describe();
  }
  const HttpResponse malformed =
      http_->Post("/v1/onboardings/" + id + "/clients", R"({"client_id":"abc"})", portal);
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(HasFieldError(malformed, "client_id"));
  const HttpResponse stale = http_->Post("/v1/onboardings/" + id + "/clients",
                                         R"({"client_id":")" + AddClient(org, "test") + "\"}",
                                         PortalFor(org, {{"If-Match", "\"1\""}}));
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(AuditFor(id, "onboarding.link_client"), 1);
}

TEST_F(OnboardingApiTest, OperatorPublishesTermsAndPortalAcceptsThem) {
  const std::string org = NewOrganisation();
  const std::string id = CreateCaseId(org, "Terms");
  const std::string v1 = "e2e-" + crypto::RandomFromAlphabet("abcdefgh", 6);
  const std::string v2 = v1 + ".2";
  const auto terms = [](const std::string& version) {
    Poco::JSON::Object t;
    t.set("version", version);
    t.set("title", "Bruksvilkår " + version);
    t.set("url", "https://docs.example.no/vilkar/" + version);
    t.set("summary", "What changed\nand why.");
    return Json(t);
  };

  const HttpResponse published = http_->Post("/v1/terms", terms(v1), Op());
  ASSERT_EQ(published.status, 201) << published.Describe();
  EXPECT_EQ(published.Header("Location"), "/v1/terms/" + v1);
  EXPECT_EQ(published.json->getValue<std::string>("published_by"), "onboarding-operator");
  EXPECT_EQ(AuditFor(v1, "terms.publish"), 1);
  EXPECT_EQ(http_->Post("/v1/terms", terms(v1), Op()).status, 409);
  EXPECT_EQ(http_->Post("/v1/terms", terms(v2), PortalFor(org)).status, 403);
  EXPECT_EQ(
      http_
          ->Post("/v1/terms",
                 R"({"version":"x","title":"t","url":"http://insecure.example","summary":"s"})",
                 Op())
          .status,
      400);
  ASSERT_EQ(http_->Post("/v1/terms", terms(v2), Op()).status, 201);

  const HttpResponse list = http_->Get("/v1/terms", PortalFor(org));
  ASSERT_EQ(list.status, 200) << list.Describe();
  const auto items = list.json->getArray("items");
  ASSERT_GE(items->size(), 2u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("version"), v2) << "newest first";
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("version"), v1);
  EXPECT_EQ(http_->Get("/v1/terms/" + v1, PortalFor(org)).status, 200);
  EXPECT_EQ(http_->Get("/v1/terms/nope", PortalFor(org)).status, 404);

  const HttpResponse unknown =
      http_->Post("/v1/onboardings/" + id + "/terms-acceptance",
                  R"({"terms_version":"never-published"})", PortalFor(org));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(HasFieldError(unknown, "terms_version"));

  const HttpResponse accepted = http_->Post("/v1/onboardings/" + id + "/terms-acceptance",
                                            R"({"terms_version":")" + v1 + "\"}", PortalFor(org));
  ASSERT_EQ(accepted.status, 200) << accepted.Describe();
  const auto acceptance = accepted.json->getObject("terms_acceptance");
  ASSERT_TRUE(acceptance);
  EXPECT_EQ(acceptance->getValue<std::string>("terms_version"), v1);
  EXPECT_EQ(acceptance->getValue<std::string>("accepted_by"), "onboarding-portal");
  EXPECT_EQ(acceptance->getValue<std::string>("accepted_role"), "portal");
  EXPECT_EQ(acceptance->getValue<std::string>("portal_user"), "ola.nordmann@example.no");
  EXPECT_FALSE(acceptance->getValue<std::string>("accepted_at").empty());
  EXPECT_EQ(AuditFor(id, "onboarding.accept_terms"), 1);
  const auto audit_user =
      QueryScalar(db_->url(), "SELECT portal_user FROM audit_events WHERE target_id = '" + id +
                                  "' AND action = 'onboarding.accept_terms'");
  EXPECT_EQ(audit_user.value_or(""), "ola.nordmann@example.no");

  const HttpResponse repeat = http_->Post("/v1/onboardings/" + id + "/terms-acceptance",
                                          R"({"terms_version":")" + v1 + "\"}", PortalFor(org));
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(AuditFor(id, "onboarding.accept_terms"), 1);

  const HttpResponse by_operator = http_->Post("/v1/onboardings/" + id + "/terms-acceptance",
                                               R"({"terms_version":")" + v2 + "\"}", Op());
  ASSERT_EQ(by_operator.status, 200) << by_operator.Describe();
  EXPECT_EQ(by_operator.json->getObject("terms_acceptance")->getValue<std::string>("accepted_by"),
            "onboarding-operator");
  EXPECT_TRUE(by_operator.json->getObject("terms_acceptance")->isNull("portal_user"));
  const HttpResponse downgrade = http_->Post("/v1/onboardings/" + id + "/terms-acceptance",
                                             R"({"terms_version":")" + v1 + "\"}", PortalFor(org));
  EXPECT_EQ(downgrade.status, 409);
  EXPECT_EQ(AuditFor(id, "onboarding.accept_terms"), 2);
}

TEST_F(OnboardingApiTest, AWithdrawnCaseTakesNoChangesUntilReopened) {
  const std::string org = NewOrganisation();
  const std::string id = CreateCaseId(org, "Paused");
  ASSERT_EQ(Patch("/v1/onboardings/" + id, R"({"state":"withdrawn"})", Op()).status, 200);
  const HttpResponse refused =
      Patch("/v1/onboardings/" + id, R"({"service_name":"Renamed"})", Op());
  EXPECT_EQ(refused.status, 409) << refused.Describe();
  const HttpResponse link = http_->Post("/v1/onboardings/" + id + "/clients",
                                        R"({"client_id":")" + AddClient(org, "test") + "\"}", Op());
  EXPECT_EQ(link.status, 409);
  const HttpResponse reopened =
      Patch("/v1/onboardings/" + id, R"({"state":"open","service_name":"Renamed"})", Op());
  ASSERT_EQ(reopened.status, 200) << reopened.Describe();
  EXPECT_EQ(reopened.json->getValue<std::string>("state"), "open");
  EXPECT_EQ(AuditFor(id, "onboarding.update"), 2);
}

TEST_F(OnboardingApiTest, EveryChangeLeavesTheAuditChainIntact) {
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

}  // namespace
}  // namespace onboard::testsupport
