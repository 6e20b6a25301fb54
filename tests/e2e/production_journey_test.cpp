// The "test to production" journey over HTTP against the real onboard-api: from a new
// organisation to an approved production order and its production client, and every
// refusal on the way.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
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
using verification::ServiceSuite;
using verification::Strings;

// Paths of the problem+json field errors.
std::vector<std::string> ErrorPaths(const HttpResponse& r) {
  std::vector<std::string> out;
  for (const auto& [path, code] : FieldErrors(r)) out.push_back(path);
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Every JSON member name anywhere in `v` (objects and arrays, recursively).
void CollectKeys(const Poco::Dynamic::Var& v, std::vector<std::string>& out) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    for (const auto& [k, child] : *v.extract<Poco::JSON::Object::Ptr>()) {
      out.push_back(k);
      CollectKeys(child, out);
    }
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& child : *v.extract<Poco::JSON::Array::Ptr>()) CollectKeys(child, out);
  }
}

std::vector<std::string> SecretKeysIn(const HttpResponse& r) {
  std::vector<std::string> keys, secret;
  CollectKeys(r.parsed, keys);
  for (const auto& k : keys) {
    if (k.find("secret") != std::string::npos || k == "registration_access_token")
      secret.push_back(k);
  }
  return secret;
}

// The shared service of a suite: one database, one onboard-api, the generic tokens of
// verification::Service plus two named operators for the four-eyes rule.
struct Shared {
  std::unique_ptr<Service> svc;
  TestToken operator_a, operator_b;
  int next_org = 0;
};

class ProductionJourney : public ServiceSuite<ProductionJourney, Shared> {
 public:
  static std::unique_ptr<Shared> StartRig() {
    auto shared = std::make_unique<Shared>();
    shared->svc = std::make_unique<Service>();
    shared->operator_a =
        CreateToken(shared->svc->db().url(), domain::Role::kOperator, "operator-a");
    shared->operator_b =
        CreateToken(shared->svc->db().url(), domain::Role::kOperator, "operator-b");
    return shared;
  }

 protected:
  static Headers OperatorA() { return Bearer(rig().operator_a.secret); }
  static Headers OperatorB() { return Bearer(rig().operator_b.secret); }
  static Headers Portal(const std::string& orgno) { return svc().Portal(orgno); }

  static std::string NewOrg() {
    const std::string orgno = ValidOrgno(rig().next_org++, 93000000);
    svc().CreateOrganisation(orgno);
    return orgno;
  }

  static int64_t Audits() { return db().AuditCount(); }
  static std::string LastAction() {
    return QueryScalar(db().url(), "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1")
        .value_or("");
  }

  // A test client of `orgno` (client_secret_basic, https URIs) linked to a case with
  // complete planning, terms accepted (when asked) and, when `run_outcomes` is not empty,
  // a verification run tested `run_days_ago` days ago.
  struct Ready {
    std::string orgno, client_id, case_id;
  };
  static Ready Prepare(bool accept_terms = true,
                       std::map<int, std::string> run_outcomes = Service::MandatoryPassed(),
                       int run_days_ago = 1) {
    Ready r;
    r.orgno = NewOrg();
    r.client_id = svc().CreateSecretBasicTestClient(r.orgno);
    r.case_id = svc().CreateCase(r.orgno, r.client_id, accept_terms);
    if (!run_outcomes.empty()) {
      const HttpResponse run = svc().PostRun(r.orgno, r.client_id, run_outcomes, run_days_ago);
      EXPECT_EQ(run.status, 201) << run.Describe();
    }
    return r;
  }

  static Poco::JSON::Object OrderBody(
      const std::string& test_client_id,
      Poco::JSON::Array::Ptr redirect_uris = Strings({"https://app.example.no/callback"}),
      bool submit = true) {
    Poco::JSON::Object body = journey::ProductionOrderBody(test_client_id);
    body.set("redirect_uris", redirect_uris);
    body.set("notes", "Go-live 1 May");
    if (!submit) body.set("submit", false);
    return body;
  }

  static HttpResponse PostOrder(const Ready& r, const Headers& as, const Poco::JSON::Object& body) {
    return svc().Post("/v1/onboardings/" + r.case_id + "/production-orders", body, as);
  }
  static HttpResponse PostOrder(const Ready& r, const Headers& as) {
    return PostOrder(r, as, OrderBody(r.client_id));
  }
  // The portal of `r`'s organisation submits OrderBody; the order's id ("" when it was not
  // answered 201, which fails the test).
  static std::string SubmitOrder(const Ready& r) {
    const HttpResponse ordered = PostOrder(r, Portal(r.orgno));
    EXPECT_EQ(ordered.status, 201) << ordered.Describe();
    return ordered.status == 201 && ordered.json ? ordered.json->getValue<std::string>("id") : "";
  }

  // POST /v1/production-orders/{id}/<action> with an optional reason.
  static HttpResponse Act(const std::string& order_id, const std::string& action, const Headers& as,
                          const std::string& reason = "") {
    const std::string path = "/v1/production-orders/" + order_id + "/" + action;
    if (reason.empty()) return http().Request("POST", path, as);
    Poco::JSON::Object body;
    body.set("reason", reason);
    return svc().Post(path, body, as);
  }

  // Runs `step`, which must answer `status` and add exactly one audit event `action`.
  static HttpResponse Step(const std::string& action, int status,
                           const std::function<HttpResponse()>& step) {
    const int64_t before = Audits();
    HttpResponse r = step();
    EXPECT_EQ(r.status, status) << action << ": " << r.Describe();
    EXPECT_EQ(Audits(), before + 1) << action << " must write exactly one audit event";
    EXPECT_EQ(LastAction(), action);
    return r;
  }

  // The approval of an sms_zip order: 200 and exactly two audit events, the approval and
  // the issuance of the production secret (one transaction).
  static HttpResponse ApproveStep(const std::function<HttpResponse()>& step) {
    const int64_t before = Audits();
    HttpResponse r = step();
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(Audits(), before + 2) << "approval + client.secret_issue";
    EXPECT_EQ(
        QueryScalar(db().url(),
                    "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_events WHERE seq > " +
                        std::to_string(before)),
        "production_order.approve,client.secret_issue");
    return r;
  }

  // A refusal: `status` and `code`, and no audit event written.
  static HttpResponse Refused(int status, const std::string& code,
                              const std::function<HttpResponse()>& step) {
    const int64_t before = Audits();
    HttpResponse r = step();
    EXPECT_EQ(r.status, status) << r.Describe();
    EXPECT_EQ(ProblemCode(r), code) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(Audits(), before) << "a refused request must not write an audit event";
    return r;
  }

  // A final order refuses every move (409 illegal_transition, nothing audited): approval
  // by operator B, cancellation by the portal of `orgno`, rejection with `reason`. The
  // refused approval.
  static HttpResponse ExpectFinal(const std::string& order_id, const std::string& orgno,
                                  const std::string& reason) {
    HttpResponse approve =
        Refused(409, "illegal_transition", [&] { return Act(order_id, "approve", OperatorB()); });
    Refused(409, "illegal_transition", [&] { return Act(order_id, "cancel", Portal(orgno)); });
    Refused(409, "illegal_transition",
            [&] { return Act(order_id, "reject", OperatorB(), reason); });
    return approve;
  }

  static int64_t ProductionClientsOf(const std::string& orgno) {
    return QueryInt(
        db().url(),
        "SELECT count(*) FROM clients WHERE environment = 'production' AND organisation = '" +
            orgno + "'");
  }

  static int64_t OrdersOf(const std::string& client_id) {
    return QueryInt(db().url(), "SELECT count(*) FROM production_orders WHERE test_client_id = '" +
                                    client_id + "'");
  }
};

// ---------------------------------------------------------------------------------------
// The journey

TEST_F(ProductionJourney, TakesATestClientAllTheWayToAProductionClient) {
  const std::string orgno = ValidOrgno(900, 93000000);

  // 1. The organisation (operator).
  Step("organisation.create", 201, [&] {
    Poco::JSON::Object org = journey::OrganisationBody(orgno);
    org.set("name", "Journey kommune");
    return svc().Post("/v1/organisations", org, svc().Operator());
  });

  // 2. Terms of use published by the operator team.
  Step("terms.publish", 201, [&] {
    return svc().Post("/v1/terms", journey::TermsBody("2025-06", "Journey version"),
                      svc().Operator());
  });

  // 3. The onboarding case, by the owner's portal: complete planning and a technical
  // contact with e-mail and mobile.
  const HttpResponse created_case = Step("onboarding.create", 201, [&] {
    const journey::Planning planning{.schedule = "Test in May, production 1 June",
                                     .service_description = "Building permits",
                                     .expected_volume = "20 000 logins a month",
                                     .high_traffic_periods = "April",
                                     .support_impact = "Low; our own help desk answers first"};
    return svc().Post("/v1/onboardings", journey::OnboardingBody(orgno, "Byggesøknad", planning),
                      Portal(orgno));
  });
  ASSERT_TRUE(created_case.json);
  const std::string case_id = created_case.json->getValue<std::string>("id");

  // 4. A test client by the portal, with localhost redirect URIs (fine in test).
  const HttpResponse created_client = Step("client.create", 201, [&] {
    Poco::JSON::Object body;
    body.set("environment", "test");
    body.set("client_name", "Byggesøknad");
    body.set("integration_type", "idporten");
    body.set("application_type", "web");
    body.set("token_endpoint_auth_method", "client_secret_basic");
    body.set("client_orgno", orgno);
    body.set("scopes", Strings({"openid", "profile"}));
    body.set("redirect_uris",
             Strings({"http://localhost:8080/callback", "https://test.byggesok.example.no/cb"}));
    body.set("post_logout_redirect_uris", Strings({"http://localhost:8080/logout"}));
    body.set("frontchannel_logout_uri", "http://localhost:8080/frontchannel");
    return svc().Post("/v1/clients", body, Portal(orgno));
  });
  ASSERT_TRUE(created_client.json);
  const std::string test_client_id = created_client.json->getValue<std::string>("client_id");
  EXPECT_EQ(created_client.json->getValue<std::string>("environment"), "test");

  // 5. Linked to the case.
  Step("onboarding.link_client", 200, [&] {
    Poco::JSON::Object link;
    link.set("client_id", test_client_id);
    return svc().Post("/v1/onboardings/" + case_id + "/clients", link, Portal(orgno));
  });

  // 6. A passing verification run: every mandatory case of the current catalogue.
  const HttpResponse catalogue = http().Get("/v1/verification-catalogue", Portal(orgno));
  ASSERT_EQ(catalogue.status, 200) << catalogue.Describe();
  std::map<int, std::string> outcomes;
  auto cases = catalogue.json->getArray("cases");
  for (std::size_t i = 0; i < cases->size(); ++i) {
    auto c = cases->getObject(static_cast<unsigned>(i));
    if (c->getValue<bool>("mandatory")) outcomes[c->getValue<int>("id")] = "passed";
  }
  ASSERT_FALSE(outcomes.empty());
  const HttpResponse run = Step("verification_run.record", 201, [&] {
    return svc().Post("/v1/clients/" + test_client_id + "/verification-runs",
                      Service::RunBody(outcomes, svc().DaysAgo(1)), Portal(orgno));
  });
  EXPECT_TRUE(run.json && run.json->getValue<bool>("complete")) << run.body;

  // Not yet: the terms are not accepted, and nothing is stored.
  HttpResponse refused = Refused(409, "not_ready", [&] {
    return svc().Post("/v1/onboardings/" + case_id + "/production-orders",
                      OrderBody(test_client_id), Portal(orgno));
  });
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"terms_accepted"}) << refused.body;

  // 7. The owner accepts the terms.
  Step("onboarding.accept_terms", 200, [&] {
    Poco::JSON::Object accept;
    accept.set("terms_version", "2025-06");
    return svc().Post("/v1/onboardings/" + case_id + "/terms-acceptance", accept, Portal(orgno));
  });

  // 8. The production order, by the portal: https redirect URIs, delivery by SMS + zip.
  const HttpResponse ordered = Step("production_order.submit", 201, [&] {
    return svc().Post("/v1/onboardings/" + case_id + "/production-orders",
                      OrderBody(test_client_id), Portal(orgno));
  });
  ASSERT_TRUE(ordered.json);
  const std::string order_id = ordered.json->getValue<std::string>("id");
  EXPECT_EQ(ordered.Header("Location"), "/v1/production-orders/" + order_id);
  EXPECT_EQ(ordered.json->getValue<std::string>("state"), "submitted");
  EXPECT_EQ(ordered.json->getValue<std::string>("test_client_id"), test_client_id);
  EXPECT_EQ(ordered.json->getObject("entered")->getValue<std::string>("role"), "portal");
  EXPECT_EQ(ordered.json->getObject("delivery")->getValue<std::string>("method"), "sms_zip");
  EXPECT_EQ(ordered.json->getObject("delivery")->getValue<std::string>("mobile"), "+4791234567");
  EXPECT_EQ(ordered.json->getObject("delivery")->getValue<std::string>("email"), "ola@example.no");
  EXPECT_TRUE(ordered.json->getObject("production_validation")->getValue<bool>("valid"))
      << ordered.body;
  EXPECT_EQ(StringArray(ordered.json->getObject("proposed_metadata"), "redirect_uris"),
            std::vector<std::string>{"https://app.example.no/callback"});
  EXPECT_FALSE(ordered.json->getArray("metadata_diff")->size() == 0)
      << "the diff shows the production URIs";
  EXPECT_TRUE(SecretKeysIn(ordered).empty());

  // 9. The operator team's work queue shows it, oldest first, with its age.
  const HttpResponse queue = http().Get("/v1/production-orders?state=submitted", OperatorA());
  ASSERT_EQ(queue.status, 200) << queue.Describe();
  auto items = queue.json->getArray("items");
  bool found = false;
  std::string previous_submitted;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto o = items->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(o->getValue<std::string>("state"), "submitted");
    EXPECT_GE(o->getValue<int64_t>("age_seconds"), 0);
    const std::string submitted = o->getValue<std::string>("submitted_at");
    EXPECT_LE(previous_submitted, submitted) << "oldest first";
    previous_submitted = submitted;
    found = found || o->getValue<std::string>("id") == order_id;
  }
  EXPECT_TRUE(found) << queue.body;

  // 10. Review: the portal cannot approve; an operator can.
  Refused(403, "forbidden", [&] { return Act(order_id, "approve", Portal(orgno)); });
  const HttpResponse approved = ApproveStep([&] { return Act(order_id, "approve", OperatorB()); });
  ASSERT_TRUE(approved.json);
  EXPECT_EQ(approved.json->getValue<std::string>("state"), "approved");
  EXPECT_EQ(approved.json->getValue<std::string>("decided_by"), "operator-b");
  EXPECT_FALSE(approved.json->getValue<std::string>("decided_at").empty());
  const std::string production_client_id =
      approved.json->optValue<std::string>("production_client_id", "");
  ASSERT_EQ(production_client_id.size(), 36u) << approved.body;
  EXPECT_NE(production_client_id, test_client_id);
  EXPECT_TRUE(SecretKeysIn(approved).empty());

  // The portal sees the decision.
  const HttpResponse seen = http().Get("/v1/production-orders/" + order_id, Portal(orgno));
  ASSERT_EQ(seen.status, 200) << seen.Describe();
  EXPECT_EQ(seen.json->getValue<std::string>("state"), "approved");
  EXPECT_EQ(seen.json->getValue<std::string>("production_client_id"), production_client_id);

  // 11. The production client: its secret was issued with the approval (an sms_zip
  // order), so it is active; production-valid metadata; the secret in no response.
  for (const Headers& as : {svc().Operator(), Portal(orgno)}) {
    const HttpResponse client = http().Get("/v1/clients/" + production_client_id, as);
    ASSERT_EQ(client.status, 200) << client.Describe();
    EXPECT_EQ(client.json->getValue<std::string>("client_id"), production_client_id);
    EXPECT_EQ(client.json->getValue<std::string>("environment"), "production");
    EXPECT_EQ(client.json->getValue<std::string>("state"), "active");
    EXPECT_TRUE(client.json->getValue<bool>("active"));
    EXPECT_EQ(client.json->getValue<std::string>("registration_channel"), "production_order");
    EXPECT_EQ(client.json->getValue<std::string>("client_orgno"), orgno);
    EXPECT_EQ(client.json->getValue<std::string>("integration_type"), "idporten");
    EXPECT_EQ(StringArray(client.json, "redirect_uris"),
              std::vector<std::string>{"https://app.example.no/callback"});
    EXPECT_EQ(StringArray(client.json, "post_logout_redirect_uris"),
              std::vector<std::string>{"https://app.example.no/logout"});
    EXPECT_EQ(client.json->getValue<std::string>("frontchannel_logout_uri"),
              "https://app.example.no/frontchannel-logout");
    EXPECT_TRUE(SecretKeysIn(client).empty()) << client.body;
  }
  EXPECT_EQ(QueryInt(db().url(), "SELECT count(*) FROM client_secrets WHERE client_id = '" +
                                     production_client_id + "'"),
            1);
  // Its delivery: the zip by e-mail to the order's address, the password by SMS to its
  // mobile, both queued for the courier in the approval's transaction.
  const std::string delivery_id = approved.Header("X-Onboard-Delivery-Id");
  ASSERT_EQ(delivery_id.size(), 36u);
  EXPECT_EQ(
      QueryScalar(db().url(),
                  "SELECT string_agg(kind || ':' || recipient || ':' || state, ',' ORDER BY kind) "
                  "FROM outbox WHERE delivery_id = '" +
                      delivery_id + "'"),
      "email:ola@example.no:pending,sms:+4791234567:pending");
  EXPECT_EQ(QueryScalar(db().url(),
                        "SELECT order_id::text FROM deliveries WHERE id = '" + delivery_id + "'"),
            order_id);
  const HttpResponse delivery = http().Get("/v1/deliveries/" + delivery_id, Portal(orgno));
  ASSERT_EQ(delivery.status, 200) << delivery.Describe();
  EXPECT_EQ(delivery.json->getValue<std::string>("channel"), "email");
  EXPECT_EQ(delivery.json->getValue<std::string>("state"), "in_progress");
  EXPECT_EQ(QueryScalar(db().url(),
                        "SELECT registration_token_hash IS NULL FROM clients WHERE client_id = '" +
                            production_client_id + "'"),
            "t");
  // The test client is untouched.
  const HttpResponse test_client = http().Get("/v1/clients/" + test_client_id, svc().Operator());
  EXPECT_EQ(test_client.json->getValue<std::string>("state"), "active");
  EXPECT_EQ(StringArray(test_client.json, "redirect_uris")[0], "http://localhost:8080/callback");

  // 12. The case knows its production client.
  const HttpResponse the_case = http().Get("/v1/onboardings/" + case_id, Portal(orgno));
  ASSERT_EQ(the_case.status, 200) << the_case.Describe();
  EXPECT_EQ(the_case.json->optValue<std::string>("production_client_id", ""), production_client_id);
  EXPECT_EQ(the_case.json->getValue<std::string>("state"), "in_production");

  // 13. The approval's audit event names what it created, and the chain is whole.
  EXPECT_EQ(
      QueryScalar(db().url(),
                  "SELECT detail::jsonb->>'production_client_id' FROM audit_events WHERE action = "
                  "'production_order.approve' AND target_id = '" +
                      order_id + "'"),
      production_client_id);
  EXPECT_EQ(QueryInt(db().url(),
                     "SELECT count(*) FROM audit_events WHERE target_id = '" + order_id + "'"),
            2);
  const CliResult verify = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", db().url()}});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("\"intact\":true"), std::string::npos) << verify.out;
  EXPECT_TRUE(db().VerifyAudit().intact);
}

// ---------------------------------------------------------------------------------------
// The work queue

TEST_F(ProductionJourney, WorkQueueListsSubmittedOrdersOldestSubmissionFirst) {
  const Ready early = Prepare();
  const Ready late = Prepare();
  // `early` is drafted first but submitted last: the queue goes by submission.
  const HttpResponse draft =
      PostOrder(early, Portal(early.orgno),
                OrderBody(early.client_id, Strings({"https://app.example.no/callback"}), false));
  ASSERT_EQ(draft.status, 201) << draft.Describe();
  EXPECT_EQ(draft.json->getValue<std::string>("state"), "draft");
  const std::string early_id = draft.json->getValue<std::string>("id");
  const HttpResponse submitted = PostOrder(late, Portal(late.orgno));
  ASSERT_EQ(submitted.status, 201) << submitted.Describe();
  const std::string late_id = submitted.json->getValue<std::string>("id");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const HttpResponse submit = Act(early_id, "submit", Portal(early.orgno));
  ASSERT_EQ(submit.status, 200) << submit.Describe();
  EXPECT_EQ(submit.json->getValue<std::string>("state"), "submitted");

  const HttpResponse queue =
      http().Get("/v1/production-orders?state=submitted&limit=100", svc().Operator());
  ASSERT_EQ(queue.status, 200) << queue.Describe();
  std::vector<std::string> ids;
  std::vector<int64_t> ages;
  auto items = queue.json->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto o = items->getObject(static_cast<unsigned>(i));
    ids.push_back(o->getValue<std::string>("id"));
    ages.push_back(o->getValue<int64_t>("age_seconds"));
  }
  const auto late_at = std::find(ids.begin(), ids.end(), late_id);
  const auto early_at = std::find(ids.begin(), ids.end(), early_id);
  ASSERT_NE(late_at, ids.end());
  ASSERT_NE(early_at, ids.end());
  EXPECT_LT(late_at - ids.begin(), early_at - ids.begin())
      << "the order waiting longest comes first: " << queue.body;
  EXPECT_TRUE(std::is_sorted(ages.rbegin(), ages.rend()))
      << "age_seconds never grows down the queue: " << queue.body;
  EXPECT_GE(ages[late_at - ids.begin()], 1);

  // Page by page (limit=1) the queue comes in the same order.
  std::vector<std::string> paged;
  std::string cursor;
  for (int guard = 0; guard < 100; ++guard) {
    const HttpResponse page = http().Get("/v1/production-orders?state=submitted&limit=1" +
                                             (cursor.empty() ? "" : "&cursor=" + cursor),
                                         svc().Operator());
    ASSERT_EQ(page.status, 200) << page.Describe();
    auto page_items = page.json->getArray("items");
    for (std::size_t i = 0; i < page_items->size(); ++i) {
      paged.push_back(page_items->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    }
    if (page.json->get("next_cursor").isEmpty()) break;
    cursor = page.json->getValue<std::string>("next_cursor");
  }
  EXPECT_EQ(paged, ids);
  EXPECT_EQ(http().Get("/v1/production-orders?cursor=12x_3", svc().Operator()).status, 400);

  // The portal sees only its own organisation's orders.
  const HttpResponse own = http().Get("/v1/production-orders", Portal(late.orgno));
  ASSERT_EQ(own.status, 200) << own.Describe();
  auto own_items = own.json->getArray("items");
  ASSERT_EQ(own_items->size(), 1u) << own.body;
  EXPECT_EQ(own_items->getObject(0)->getValue<std::string>("id"), late_id);
}

// ---------------------------------------------------------------------------------------
// Readiness refusals

TEST_F(ProductionJourney, RefusesAnOrderBeforeTheTermsAreAccepted) {
  const Ready r = Prepare(/*accept_terms=*/false);
  const HttpResponse refused =
      Refused(409, "not_ready", [&] { return PostOrder(r, Portal(r.orgno)); });
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"terms_accepted"}) << refused.body;
  EXPECT_EQ(OrdersOf(r.client_id), 0);
}

TEST_F(ProductionJourney, RefusesAnOrderWithoutAVerificationRun) {
  const Ready r = Prepare(true, {});
  const HttpResponse refused =
      Refused(409, "not_ready", [&] { return PostOrder(r, Portal(r.orgno)); });
  const auto paths = ErrorPaths(refused);
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), "verification_tests") << refused.body;
  // Each mandatory case is named, and nothing but the verification tests blocks.
  for (const char* c : {"1", "3", "6", "7", "8"}) {
    EXPECT_TRUE(HasFieldError(refused, std::string("verification_tests/") + c, "test_not_passed"))
        << refused.body;
  }
  for (const auto& p : paths) EXPECT_EQ(p.rfind("verification_tests", 0), 0u) << p;
  EXPECT_EQ(OrdersOf(r.client_id), 0);
}

TEST_F(ProductionJourney, RefusesAnOrderWhoseRunFailedAMandatoryCase) {
  auto outcomes = Service::MandatoryPassed();
  outcomes[3] = "failed";
  const Ready r = Prepare(true, outcomes);
  const HttpResponse refused =
      Refused(409, "not_ready", [&] { return PostOrder(r, svc().Operator()); });
  const auto paths = ErrorPaths(refused);
  EXPECT_TRUE(Contains(paths, "verification_tests")) << refused.body;
  EXPECT_TRUE(HasFieldError(refused, "verification_tests/3", "test_not_passed")) << refused.body;
  for (const auto& p : paths) EXPECT_EQ(p.rfind("verification_tests", 0), 0u) << p;
  EXPECT_EQ(OrdersOf(r.client_id), 0);
}

TEST_F(ProductionJourney, RefusesAnOrderWhoseRunIsOlderThanTheMaximumAge) {
  // verification.max_age_days defaults to 90.
  const Ready r = Prepare(true, Service::MandatoryPassed(), /*run_days_ago=*/100);
  const HttpResponse refused =
      Refused(409, "not_ready", [&] { return PostOrder(r, Portal(r.orgno)); });
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"verification_tests"}) << refused.body;
}

TEST_F(ProductionJourney, ApprovalChecksReadinessAgainSoARunThatAgedMeanwhileBlocksIt) {
  const Ready r = Prepare(true, Service::MandatoryPassed(), /*run_days_ago=*/3);
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());
  // A second instance on the same database that accepts runs of at most 2 days.
  ApiProcess strict(db().url(),
                    {{"ONBOARD_SECRETS_PEPPER", "e2e-pepper-0123456789abcdef0123456789abcdef"},
                     {"ONBOARD_VERIFICATION_MAX_AGE_DAYS", "2"}});
  const HttpClient strict_http(strict.port());
  const HttpResponse refused = Refused(409, "not_ready", [&] {
    return strict_http.Request("POST", "/v1/production-orders/" + order_id + "/approve",
                               OperatorB());
  });
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"verification_tests"}) << refused.body;
  const HttpResponse still = http().Get("/v1/production-orders/" + order_id, svc().Operator());
  EXPECT_EQ(still.json->getValue<std::string>("state"), "submitted");
  EXPECT_TRUE(still.json->get("production_client_id").isEmpty());
}

// ---------------------------------------------------------------------------------------
// Metadata refusals

TEST_F(ProductionJourney, RefusesLocalhostAndPlainHttpRedirectUrisForProduction) {
  const Ready r = Prepare();
  const HttpResponse localhost = Refused(400, "invalid_for_production", [&] {
    return PostOrder(r, Portal(r.orgno),
                     OrderBody(r.client_id, Strings({"http://localhost:8080/callback"})));
  });
  EXPECT_TRUE(HasFieldError(localhost, "redirect_uris/0", "localhost_not_allowed"))
      << localhost.body;

  const HttpResponse http_uri = Refused(400, "invalid_for_production", [&] {
    return PostOrder(r, Portal(r.orgno),
                     OrderBody(r.client_id, Strings({"https://app.example.no/callback",
                                                     "http://app.example.no/cb"})));
  });
  EXPECT_TRUE(HasFieldError(http_uri, "redirect_uris/1", "https_required")) << http_uri.body;
  EXPECT_FALSE(HasFieldError(http_uri, "redirect_uris/0", "https_required")) << http_uri.body;

  // A draft may hold them, but it cannot be submitted until they are fixed.
  const HttpResponse draft =
      PostOrder(r, Portal(r.orgno),
                OrderBody(r.client_id, Strings({"http://localhost:8080/callback"}), false));
  ASSERT_EQ(draft.status, 201) << draft.Describe();
  EXPECT_FALSE(draft.json->getObject("production_validation")->getValue<bool>("valid"));
  const HttpResponse submit = Refused(400, "invalid_for_production", [&] {
    return Act(draft.json->getValue<std::string>("id"), "submit", Portal(r.orgno));
  });
  EXPECT_TRUE(HasFieldError(submit, "redirect_uris/0", "localhost_not_allowed")) << submit.body;
}

TEST_F(ProductionJourney, RefusesAnSmsDeliveryWithoutMobileAndEmail) {
  const Ready r = Prepare();
  Poco::JSON::Object body = OrderBody(r.client_id);
  Poco::JSON::Object delivery;
  delivery.set("method", "sms_zip");
  body.set("delivery", delivery);
  const HttpResponse refused =
      Refused(400, "validation_failed", [&] { return PostOrder(r, Portal(r.orgno), body); });
  EXPECT_TRUE(HasFieldError(refused, "delivery/mobile", "invalid_e164")) << refused.body;
  EXPECT_TRUE(HasFieldError(refused, "delivery/email", "invalid_email")) << refused.body;
}

// ---------------------------------------------------------------------------------------
// Review refusals

TEST_F(ProductionJourney, TheOperatorWhoEnteredAnOrderCannotApproveIt) {
  const Ready r = Prepare();
  const HttpResponse ordered = PostOrder(r, OperatorA());
  ASSERT_EQ(ordered.status, 201) << ordered.Describe();
  EXPECT_EQ(ordered.json->getObject("entered")->getValue<std::string>("by"), "operator-a");
  const std::string order_id = ordered.json->getValue<std::string>("id");

  const HttpResponse refused =
      Refused(403, "four_eyes", [&] { return Act(order_id, "approve", OperatorA()); });
  EXPECT_EQ(ProductionClientsOf(r.orgno), 0);
  const HttpResponse approved =
      ApproveStep([&] { return Act(order_id, "approve", OperatorB(), "reviewed with the owner"); });
  EXPECT_EQ(approved.json->getValue<std::string>("decided_by"), "operator-b");
  EXPECT_EQ(approved.json->getValue<std::string>("decision_reason"), "reviewed with the owner");
}

TEST_F(ProductionJourney, OnlyOperatorsApproveOrReject) {
  const Ready r = Prepare();
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());
  Refused(403, "forbidden", [&] { return Act(order_id, "approve", Portal(r.orgno)); });
  Refused(403, "forbidden", [&] { return Act(order_id, "reject", Portal(r.orgno), "no"); });
  Refused(403, "forbidden", [&] { return Act(order_id, "approve", svc().Auditor()); });
  const HttpResponse still = http().Get("/v1/production-orders/" + order_id, Portal(r.orgno));
  EXPECT_EQ(still.json->getValue<std::string>("state"), "submitted");
}

TEST_F(ProductionJourney, RejectingNeedsAReasonThatTheOwnerSees) {
  const Ready r = Prepare();
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());

  HttpResponse refused =
      Refused(400, "validation_failed", [&] { return Act(order_id, "reject", OperatorA()); });
  EXPECT_TRUE(HasFieldError(refused, "reason", "required")) << refused.body;
  refused = Refused(400, "validation_failed",
                    [&] { return Act(order_id, "reject", OperatorA(), "   "); });
  EXPECT_TRUE(HasFieldError(refused, "reason", "required")) << refused.body;

  const std::string why = "The redirect URI host is not yours; use your own domain";
  const HttpResponse rejected = Step("production_order.reject", 200,
                                     [&] { return Act(order_id, "reject", OperatorA(), why); });
  EXPECT_EQ(rejected.json->getValue<std::string>("state"), "rejected");

  const HttpResponse seen = http().Get("/v1/production-orders/" + order_id, Portal(r.orgno));
  ASSERT_EQ(seen.status, 200) << seen.Describe();
  EXPECT_EQ(seen.json->getValue<std::string>("state"), "rejected");
  EXPECT_EQ(seen.json->getValue<std::string>("decision_reason"), why);
  EXPECT_EQ(seen.json->getValue<std::string>("decided_by"), "operator-a");
  EXPECT_TRUE(seen.json->get("production_client_id").isEmpty());

  // A rejected order is final; the owner may order again.
  const HttpResponse again =
      Refused(409, "illegal_transition", [&] { return Act(order_id, "approve", OperatorB()); });
  EXPECT_NE(again.json->getValue<std::string>("detail").find("rejected"), std::string::npos)
      << again.body;
  EXPECT_NE(again.json->getValue<std::string>("detail").find("allowed: none"), std::string::npos)
      << again.body;
  const HttpResponse reordered = PostOrder(r, Portal(r.orgno));
  EXPECT_EQ(reordered.status, 201) << reordered.Describe();
}

TEST_F(ProductionJourney, ACancelledOrderCannotBeApproved) {
  const Ready r = Prepare();
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());
  const HttpResponse cancelled = Step("production_order.cancel", 200,
                                      [&] { return Act(order_id, "cancel", Portal(r.orgno)); });
  EXPECT_EQ(cancelled.json->getValue<std::string>("state"), "cancelled");
  const HttpResponse refused = ExpectFinal(order_id, r.orgno, "too late");
  EXPECT_NE(refused.json->getValue<std::string>("detail").find("cancelled"), std::string::npos)
      << refused.body;
  EXPECT_EQ(ProductionClientsOf(r.orgno), 0);
}

TEST_F(ProductionJourney, AnApprovedOrderIsFinal) {
  const Ready r = Prepare();
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());
  ASSERT_EQ(Act(order_id, "approve", OperatorA()).status, 200);
  ExpectFinal(order_id, r.orgno, "changed my mind");
  EXPECT_EQ(ProductionClientsOf(r.orgno), 1);
}

TEST_F(ProductionJourney, AProductionClientCannotSkipItsCredentialsByDeactivatingAndReactivating) {
  // A certificate order: its client waits for the certificate binding (no secret issued).
  const Ready r = Prepare();
  Poco::JSON::Object body = OrderBody(r.client_id);
  Poco::JSON::Object certificate;
  certificate.set("method", "certificate");
  certificate.set("email", "ola@example.no");
  body.set("delivery", certificate);
  const HttpResponse ordered = PostOrder(r, Portal(r.orgno), body);
  ASSERT_EQ(ordered.status, 201) << ordered.Describe();
  const HttpResponse approved =
      Act(ordered.json->getValue<std::string>("id"), "approve", OperatorB());
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  const std::string id = approved.json->getValue<std::string>("production_client_id");
  EXPECT_FALSE(approved.HasHeader("X-Onboard-Delivery-Id"));
  EXPECT_EQ(
      QueryInt(db().url(), "SELECT count(*) FROM client_secrets WHERE client_id = '" + id + "'"),
      0);
  EXPECT_EQ(QueryInt(db().url(), "SELECT count(*) FROM deliveries WHERE client_id = '" + id + "'"),
            0);
  const HttpResponse waiting = http().Get("/v1/clients/" + id, svc().Operator());
  EXPECT_EQ(waiting.json->getValue<std::string>("state"), "awaiting_credentials");
  const HttpResponse off = Step("client.deactivate", 200, [&] {
    return http().Request("POST", "/v1/clients/" + id + "/deactivate", Portal(r.orgno));
  });
  EXPECT_EQ(off.json->getValue<std::string>("state"), "deactivated");
  const HttpResponse on = Step("client.reactivate", 200, [&] {
    return http().Request("POST", "/v1/clients/" + id + "/reactivate", Portal(r.orgno));
  });
  EXPECT_EQ(on.json->getValue<std::string>("state"), "awaiting_credentials")
      << "a client that never had credentials must not become active: " << on.body;
  EXPECT_FALSE(on.json->getValue<bool>("active"));
  // A test client (active from the start) comes back active.
  ASSERT_EQ(
      http().Request("POST", "/v1/clients/" + r.client_id + "/deactivate", Portal(r.orgno)).status,
      200);
  const HttpResponse test_on =
      http().Request("POST", "/v1/clients/" + r.client_id + "/reactivate", Portal(r.orgno));
  ASSERT_EQ(test_on.status, 200) << test_on.Describe();
  EXPECT_EQ(test_on.json->getValue<std::string>("state"), "active");
}

TEST_F(ProductionJourney, RefusesASecondOpenOrderForTheSameTestClient) {
  const Ready r = Prepare();
  ASSERT_EQ(PostOrder(r, Portal(r.orgno)).status, 201);
  Refused(409, "order_already_open", [&] { return PostOrder(r, Portal(r.orgno)); });
  // Also when the first one is only a draft.
  const Ready d = Prepare();
  const HttpResponse draft =
      PostOrder(d, Portal(d.orgno),
                OrderBody(d.client_id, Strings({"https://app.example.no/callback"}), false));
  ASSERT_EQ(draft.status, 201) << draft.Describe();
  Refused(409, "order_already_open", [&] { return PostOrder(d, svc().Operator()); });
  EXPECT_EQ(OrdersOf(r.client_id), 1);
  EXPECT_EQ(OrdersOf(d.client_id), 1);
}

TEST_F(ProductionJourney, OtherOrganisationsSeeNeitherTheCaseNorTheOrderNorTheClients) {
  const Ready r = Prepare();
  const std::string stranger = NewOrg();
  const std::string order_id = SubmitOrder(r);
  ASSERT_FALSE(order_id.empty());
  Refused(404, "not_found", [&] { return PostOrder(r, Portal(stranger)); });
  Refused(404, "not_found",
          [&] { return http().Get("/v1/onboardings/" + r.case_id, Portal(stranger)); });
  Refused(404, "not_found",
          [&] { return http().Get("/v1/production-orders/" + order_id, Portal(stranger)); });
  Refused(404, "not_found", [&] { return Act(order_id, "cancel", Portal(stranger)); });
  Refused(404, "not_found",
          [&] { return http().Get("/v1/clients/" + r.client_id, Portal(stranger)); });
  const HttpResponse list = http().Get("/v1/production-orders", Portal(stranger));
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.json->getArray("items")->size(), 0u) << list.body;

  const HttpResponse approved = Act(order_id, "approve", OperatorB());
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  const std::string production_client_id =
      approved.json->getValue<std::string>("production_client_id");
  Refused(404, "not_found",
          [&] { return http().Get("/v1/clients/" + production_client_id, Portal(stranger)); });
  EXPECT_EQ(http().Get("/v1/clients/" + production_client_id, Portal(r.orgno)).status, 200);
}

TEST_F(ProductionJourney, AnOrderMustNameATestClientLinkedToTheCase) {
  const Ready r = Prepare();
  const Ready other = Prepare();
  HttpResponse refused = Refused(400, "validation_failed", [&] {
    return PostOrder(r, svc().Operator(), OrderBody(other.client_id));
  });
  EXPECT_TRUE(HasFieldError(refused, "test_client_id", "not_a_linked_test_client")) << refused.body;
  refused = Refused(400, "validation_failed", [&] {
    return PostOrder(r, svc().Operator(), OrderBody("00000000-0000-4000-8000-000000000000"));
  });
  EXPECT_TRUE(HasFieldError(refused, "test_client_id", "not_a_linked_test_client")) << refused.body;
}

}  // namespace
}  // namespace onboard::testsupport
