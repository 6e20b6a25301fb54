// GET /v1/support/lookup: from the client_id and environment an owner quotes, the operator
// finds the client, its organisation, case, readiness, orders, deliveries and history.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "client_fixtures.hpp"
#include "e2e_journey.hpp"
#include "e2e_shared_suite.hpp"
#include "test_support.hpp"
#include "verification_e2e.hpp"

namespace onboard::testsupport {
namespace {

using verification::ProblemCode;
using verification::Service;

// One organisation taken all the way: a test client with a case, terms, a passing run and
// an approved production order (entered by the portal, approved by the operator).
struct World {
  std::unique_ptr<Service> svc;
  std::string orgno, test_client_id, case_id, order_id, production_client_id;
  std::string bare_client_id;  ///< a test client with no case
};

class SupportLookup : public verification::ServiceSuite<SupportLookup, World> {
 public:
  static std::unique_ptr<World> StartRig() {
    auto w = std::make_unique<World>();
    w->svc = std::make_unique<Service>();
    Service& svc = *w->svc;
    w->orgno = ValidOrgno(1, 94000000);
    svc.CreateOrganisation(w->orgno);
    w->test_client_id = svc.CreateSecretBasicTestClient(w->orgno);
    w->bare_client_id = svc.CreateSecretBasicTestClient(w->orgno);
    w->case_id = svc.CreateCase(w->orgno, w->test_client_id);
    HttpResponse r = svc.PostRun(w->orgno, w->test_client_id);
    if (r.status != 201) throw std::runtime_error("run: " + r.Describe());
    Poco::JSON::Object order;
    order.set("test_client_id", w->test_client_id);
    order.set("redirect_uris", journey::StringList({"https://app.example.no/callback"}));
    order.set("delivery", journey::SmsZipDelivery());
    r = svc.Post("/v1/onboardings/" + w->case_id + "/production-orders", order,
                 svc.Portal(w->orgno));
    if (r.status != 201) throw std::runtime_error("order: " + r.Describe());
    w->order_id = r.json->getValue<std::string>("id");
    r = svc.http().Request("POST", "/v1/production-orders/" + w->order_id + "/approve",
                           svc.Operator());
    if (r.status != 200) throw std::runtime_error("approve: " + r.Describe());
    w->production_client_id = r.json->getValue<std::string>("production_client_id");
    return w;
  }

 protected:
  static World& w() { return rig(); }

  static HttpResponse Lookup(const std::string& client_id, const std::string& environment,
                             const Headers& as = {}) {
    return svc().http().Get(
        "/v1/support/lookup?client_id=" + client_id + "&environment=" + environment,
        as.empty() ? svc().Operator() : as);
  }

  static std::vector<std::string> Actions(const HttpResponse& r) {
    std::vector<std::string> out;
    auto events = r.json->getArray("recent_audit_events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      out.push_back(events->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
    }
    return out;
  }
};

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(SupportLookup, FindsATestClientWithEverythingAroundIt) {
  const HttpResponse r = Lookup(w().test_client_id, "test");
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_TRUE(r.json);

  auto client = r.json->getObject("client");
  ASSERT_TRUE(client);
  EXPECT_EQ(client->getValue<std::string>("client_id"), w().test_client_id);
  EXPECT_EQ(client->getValue<std::string>("environment"), "test");
  EXPECT_EQ(client->getValue<std::string>("state"), "active");

  auto org = r.json->getObject("organisation");
  ASSERT_TRUE(org) << r.body;
  EXPECT_EQ(org->getValue<std::string>("orgno"), w().orgno);
  ASSERT_TRUE(org->getArray("contacts")) << r.body;

  auto onboarding = r.json->getObject("onboarding");
  ASSERT_TRUE(onboarding) << r.body;
  EXPECT_EQ(onboarding->getValue<std::string>("id"), w().case_id);
  EXPECT_EQ(onboarding->getValue<std::string>("production_client_id"), w().production_client_id);
  ASSERT_GE(onboarding->getArray("contacts")->size(), 1u);
  EXPECT_EQ(onboarding->getArray("contacts")->getObject(0)->getValue<std::string>("mobile"),
            "+4791234567");

  auto readiness = r.json->getObject("readiness");
  ASSERT_TRUE(readiness) << "a test client's lookup shows its readiness: " << r.body;
  EXPECT_EQ(readiness->getValue<std::string>("client_id"), w().test_client_id);
  EXPECT_EQ(readiness->getArray("items")->size(), 7u);

  auto orders = r.json->getArray("orders");
  ASSERT_EQ(orders->size(), 1u) << r.body;
  EXPECT_EQ(orders->getObject(0)->getValue<std::string>("id"), w().order_id);
  EXPECT_EQ(orders->getObject(0)->getValue<std::string>("state"), "approved");

  ASSERT_TRUE(r.json->getArray("deliveries"));
  EXPECT_EQ(r.json->getArray("deliveries")->size(), 0u);

  const auto actions = Actions(r);
  for (const char* a :
       {"client.create", "onboarding.create", "onboarding.link_client", "onboarding.accept_terms",
        "production_order.submit", "production_order.approve"}) {
    EXPECT_TRUE(Has(actions, a)) << a << " missing from " << r.body;
  }
  // Newest first.
  auto events = r.json->getArray("recent_audit_events");
  for (std::size_t i = 1; i < events->size(); ++i) {
    EXPECT_GT(events->getObject(static_cast<unsigned>(i - 1))->getValue<int64_t>("seq"),
              events->getObject(static_cast<unsigned>(i))->getValue<int64_t>("seq"));
  }
  EXPECT_EQ(actions.front(), "production_order.approve");
}

TEST_F(SupportLookup, ShowsThatTheTestClientPassedVerification) {
  // The run's audit event targets the run, not the client; the readiness item tells the
  // operator that the tests were recorded and passed.
  const HttpResponse r = Lookup(w().test_client_id, "test");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto items = r.json->getObject("readiness")->getArray("items");
  bool verification_ok = false;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    if (item->getValue<std::string>("id") == "verification_tests")
      verification_ok = item->getValue<bool>("ok");
  }
  EXPECT_TRUE(verification_ok) << r.body;
}

TEST_F(SupportLookup, FindsTheProductionClientFromAnApprovedOrder) {
  const HttpResponse r = Lookup(w().production_client_id, "production");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto client = r.json->getObject("client");
  EXPECT_EQ(client->getValue<std::string>("client_id"), w().production_client_id);
  EXPECT_EQ(client->getValue<std::string>("environment"), "production");
  EXPECT_EQ(client->getValue<std::string>("state"), "active")
      << "the sms_zip approval issued its secret";
  EXPECT_FALSE(client->has("client_secret"));
  EXPECT_EQ(r.json->getObject("organisation")->getValue<std::string>("orgno"), w().orgno);
  ASSERT_TRUE(r.json->getObject("onboarding")) << r.body;
  EXPECT_EQ(r.json->getObject("onboarding")->getValue<std::string>("id"), w().case_id);
  auto orders = r.json->getArray("orders");
  ASSERT_EQ(orders->size(), 1u) << r.body;
  EXPECT_EQ(orders->getObject(0)->getValue<std::string>("production_client_id"),
            w().production_client_id);
  EXPECT_FALSE(r.json->has("readiness")) << "readiness is for test clients";
  // The delivery of its secret, with each step and never the password.
  auto deliveries = r.json->getArray("deliveries");
  ASSERT_EQ(deliveries->size(), 1u) << r.body;
  EXPECT_EQ(deliveries->getObject(0)->getValue<std::string>("client_id"), w().production_client_id);
  EXPECT_EQ(deliveries->getObject(0)->getValue<std::string>("order_id"), w().order_id);
  EXPECT_EQ(deliveries->getObject(0)->getValue<std::string>("channel"), "email");
  EXPECT_EQ(deliveries->getObject(0)->getObject("steps")->getObject("sms")->getValue<std::string>(
                "state"),
            "queued");
  EXPECT_TRUE(Has(Actions(r), "client.secret_issue")) << r.body;
  EXPECT_TRUE(Has(Actions(r), "production_order.approve")) << r.body;
}

TEST_F(SupportLookup, AClientWithoutACaseHasNoCaseAndNoOrders) {
  const HttpResponse r = Lookup(w().bare_client_id, "test");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json->get("onboarding").isEmpty()) << r.body;
  EXPECT_EQ(r.json->getArray("orders")->size(), 0u);
  EXPECT_TRUE(r.json->getObject("readiness")) << r.body;
  const auto actions = Actions(r);
  EXPECT_EQ(actions, std::vector<std::string>{"client.create"}) << r.body;
}

TEST_F(SupportLookup, TheWrongEnvironmentIs404WrongEnvironment) {
  HttpResponse r = Lookup(w().test_client_id, "production");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_EQ(ProblemCode(r), "wrong_environment") << r.body;
  EXPECT_NE(r.json->getValue<std::string>("detail").find("exists in test"), std::string::npos)
      << r.body;
  r = Lookup(w().production_client_id, "test");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_EQ(ProblemCode(r), "wrong_environment") << r.body;
}

TEST_F(SupportLookup, AnUnknownClientIs404) {
  HttpResponse r = Lookup("00000000-0000-4000-8000-000000000000", "test");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_EQ(ProblemCode(r), "not_found") << r.body;
  r = Lookup("not-a-client-id", "production");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_EQ(ProblemCode(r), "not_found") << r.body;
}

TEST_F(SupportLookup, NeedsBothTheClientIdAndAKnownEnvironment) {
  HttpResponse r =
      svc().http().Get("/v1/support/lookup?client_id=" + w().test_client_id, svc().Operator());
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_TRUE(HasFieldError(r, "environment", "invalid_value")) << r.body;
  r = Lookup(w().test_client_id, "ver2");
  EXPECT_EQ(r.status, 400) << r.Describe();
  r = svc().http().Get("/v1/support/lookup?environment=test", svc().Operator());
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_TRUE(HasFieldError(r, "client_id", "required")) << r.body;
}

TEST_F(SupportLookup, IsForOperatorsOnly) {
  HttpResponse r = Lookup(w().test_client_id, "test", svc().Portal(w().orgno));
  EXPECT_EQ(r.status, 403) << r.Describe();
  EXPECT_EQ(ProblemCode(r), "forbidden");
  r = Lookup(w().test_client_id, "test", svc().Auditor());
  EXPECT_EQ(r.status, 403) << r.Describe();
  r = svc().http().Get("/v1/support/lookup?client_id=" + w().test_client_id + "&environment=test");
  EXPECT_EQ(r.status, 401) << r.Describe();
}

}  // namespace
}  // namespace onboard::testsupport
