#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <ctime>

#include "../verification_fixtures.hpp"
#include "client_metadata_json.hpp"
#include "deliveries.hpp"
#include "fakes.hpp"
#include "production_orders.hpp"

namespace onboard::usecases {
namespace {

const std::string kCase = "5d2f8e4a-1b3c-4d6e-8f90-a1b2c3d4e5f6";
const std::string kTestClient = "0b6a3c8e-2f4d-4e71-9c35-8a1d5e7b2c90";

std::string Now() {
  const std::time_t t = std::time(nullptr) - 3600;
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return text;
}

Poco::JSON::Array::Ptr Uris(const std::string& uri) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  a->add(uri);
  return a;
}

OrderQuery Query(const std::string& state) {
  OrderQuery q;
  q.state = state;
  return q;
}

OrderDecision Decision(const std::string& id, const std::string& reason = "") {
  OrderDecision d;
  d.order_id = id;
  d.reason = reason;
  d.body_sent = !reason.empty();
  d.reason_sent = !reason.empty();
  return d;
}

OrderDecision Body(const std::string& id, const std::string& reason) {
  OrderDecision d = Decision(id, reason);
  d.body_sent = true;
  d.reason_sent = true;
  return d;
}

struct OrderCases : testing::UseCaseTest {
  Verifications verification_cases{verifications, clients, onboardings, scopes, 90};
  SecretDeliveries deliveries{secrets, config, ring};
  ProductionOrders cases{orders,
                         onboardings,
                         clients,
                         verification_cases,
                         deliveries,
                         scopes,
                         {true, {{"+47", 8, 8}}}};

  void SetUp() override {
    domain::Onboarding o = domain::testing::CompleteCase();
    o.test_clients.push_back({kTestClient, "", "test", "active", "", ""});
    onboardings.rows[kCase] = o;
    domain::Client& c = clients.Add(kTestClient, kOrgA);
    c.metadata = domain::testing::ProductionReadyMetadata();
    c.metadata_json = domain::MetadataToJsonText(c.metadata);
    verifications.catalogues.push_back(domain::testing::CatalogueV1());
    domain::VerificationRun run = domain::testing::MandatoryPassed(Now());
    run.complete = true;
    verifications.runs.push_back(run);
    verifications.case_of_client = kCase;
  }

  NewProductionOrder Order(domain::DeliveryMethod method = domain::DeliveryMethod::kCertificate) {
    NewProductionOrder c;
    c.onboarding_id = kCase;
    c.test_client_id = kTestClient;
    c.redirect_uris = Uris("https://app.example.no/callback");
    c.delivery_sent = true;
    c.delivery_method = method;
    if (method == domain::DeliveryMethod::kSmsZip) {
      c.delivery_mobile = "+4791234567";
      c.delivery_email = "ola@example.no";
    }
    c.submit = false;
    return c;
  }
  // A submitted order entered by `who`.
  domain::ProductionOrder Submitted(
      const std::string& who = "ops",
      domain::DeliveryMethod method = domain::DeliveryMethod::kCertificate) {
    Caller entered = testing::Operator();
    entered.who = who;
    NewProductionOrder c = Order(method);
    c.submit = true;
    return cases.Create(entered, c);
  }
  static Caller Approver() {
    Caller c = testing::Operator();
    c.who = "reviewer";
    return c;
  }
  std::string Proposed(const domain::ProductionOrder& o, const std::string& member) {
    Poco::JSON::Parser parser;
    return parser.parse(o.proposed_metadata_json)
        .extract<Poco::JSON::Object::Ptr>()
        ->optValue<std::string>(member, "");
  }
};

TEST_F(OrderCases, ADraftProposesTheTestMetadataWithTheProductionValues) {
  NewProductionOrder c = Order();
  c.redirect_uris = Uris("https://prod.example.no/callback");
  c.metadata_patch = new Poco::JSON::Object();
  c.metadata_patch->set("client_name", "Min side (prod)");
  const domain::ProductionOrder o = cases.Create(testing::Operator(), c);
  EXPECT_EQ(o.state, domain::OrderState::kDraft);
  EXPECT_NE(o.proposed_metadata_json.find("https://prod.example.no/callback"), std::string::npos);
  EXPECT_EQ(Proposed(o, "client_name"), "Min side (prod)");
  EXPECT_EQ(orders.events.back().action, "production_order.create");
  EXPECT_EQ(orders.events.back().detail_json,
            R"({"delivery_method":"certificate","onboarding_id":")" + kCase +
                R"(","state":"draft","test_client_id":")" + kTestClient + R"("})");
}

TEST_F(OrderCases, ACertificateDeliveryForcesPrivateKeyJwt) {
  const domain::ProductionOrder o = cases.Create(testing::Operator(), Order());
  EXPECT_EQ(Proposed(o, "token_endpoint_auth_method"), "private_key_jwt");
}

TEST_F(OrderCases, SmsZipNeedsASecretMethod) {
  NewProductionOrder c = Order(domain::DeliveryMethod::kSmsZip);
  EXPECT_EQ(Proposed(cases.Create(testing::Operator(), c), "token_endpoint_auth_method"),
            "client_secret_basic");
  c.metadata_patch = new Poco::JSON::Object();
  c.metadata_patch->set("token_endpoint_auth_method", "private_key_jwt");
  EXPECT_TRUE(Has(Thrown([&] { cases.Create(testing::Operator(), c); }).field_errors(),
                  "delivery/method", "needs_secret_method"));
}

TEST_F(OrderCases, SmsZipNeedsAnAcceptedMobileAndAnEmail) {
  NewProductionOrder c = Order(domain::DeliveryMethod::kSmsZip);
  c.delivery_mobile = "91234567";
  c.delivery_email = "";
  AppError e = Thrown([&] { cases.Create(testing::Operator(), c); });
  EXPECT_TRUE(Has(e.field_errors(), "delivery/mobile", "invalid_e164"));
  EXPECT_TRUE(Has(e.field_errors(), "delivery/email", "invalid_email"));
  c.delivery_mobile = "+4612345678";
  EXPECT_TRUE(Has(Thrown([&] { cases.Create(testing::Operator(), c); }).field_errors(),
                  "delivery/mobile", "invalid_mobile"));
  NewProductionOrder cert = Order();
  cert.delivery_mobile = "+4791234567";
  EXPECT_TRUE(Has(Thrown([&] { cases.Create(testing::Operator(), cert); }).field_errors(),
                  "delivery/mobile", "not_allowed"));
  EXPECT_TRUE(orders.rows.empty());
}

TEST_F(OrderCases, TheTestClientMustBeLinkedToTheCase) {
  clients.Add("other", kOrgA);
  NewProductionOrder c = Order();
  c.test_client_id = "other";
  EXPECT_TRUE(Has(Thrown([&] { cases.Create(testing::Operator(), c); }).field_errors(),
                  "test_client_id", "not_a_linked_test_client"));
}

TEST_F(OrderCases, TheProductionClientStaysInTheOrganisation) {
  NewProductionOrder c = Order();
  c.metadata_patch = new Poco::JSON::Object();
  c.metadata_patch->set("client_orgno", kOrgB);
  EXPECT_TRUE(Has(Thrown([&] { cases.Create(testing::Operator(), c); }).field_errors(),
                  "metadata/client_orgno", "immutable"));
}

TEST_F(OrderCases, APortalOrdersOnlyForItsOwnCase) {
  EXPECT_EQ(Thrown([&] { cases.Create(testing::Portal(kOrgB), Order()); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(cases.Create(testing::Portal(kOrgA), Order()).entered_by_role, "portal");
}

TEST_F(OrderCases, ASubmittedOrderMustBeReady) {
  verifications.runs.clear();
  NewProductionOrder c = Order();
  c.submit = true;
  const AppError e = Thrown([&] { cases.Create(testing::Operator(), c); });
  EXPECT_EQ(e.code_name(), "not_ready");
  EXPECT_TRUE(orders.rows.empty());
}

TEST_F(OrderCases, TheApproverMustNotBeTheOneWhoEnteredTheOrder) {
  const domain::ProductionOrder o = Submitted("ops");
  const AppError e = Thrown([&] { cases.Approve(testing::Operator(), Decision(o.id)); });
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_EQ(e.code_name(), "four_eyes");
  EXPECT_TRUE(orders.approved_clients.empty());
}

TEST_F(OrderCases, ApprovalBuildsTheProductionClientAwaitingCredentials) {
  const domain::ProductionOrder o = Submitted("ops");
  const ApprovedOrder approved = cases.Approve(Approver(), Decision(o.id, "ok"));
  ASSERT_EQ(orders.approved_clients.size(), 1u);
  const domain::Client& c = orders.approved_clients[0];
  EXPECT_EQ(c.environment, domain::Environment::kProduction);
  EXPECT_EQ(c.state, domain::ClientState::kAwaitingCredentials);
  EXPECT_EQ(c.registration_channel, "production_order");
  EXPECT_EQ(c.created_by, "reviewer");
  EXPECT_NE(c.client_id, kTestClient);
  EXPECT_EQ(c.metadata_json, o.proposed_metadata_json);
  EXPECT_EQ(approved.order.production_client_id, c.client_id);
  EXPECT_EQ(approved.order.decided_by, "reviewer");
  EXPECT_FALSE(approved.delivery_id.has_value());  // a certificate order delivers nothing
  EXPECT_EQ(orders.client_writes[0].change, "create");
  EXPECT_EQ(orders.events.back().action, "production_order.approve");
  EXPECT_NE(orders.events.back().detail_json.find(R"("reason":"ok")"), std::string::npos);
}

TEST_F(OrderCases, AnSmsZipApprovalChecksTheDestinationBeforeAnythingIsWritten) {
  const domain::ProductionOrder o = Submitted("ops", domain::DeliveryMethod::kSmsZip);
  orders.rows[0].delivery_mobile = "+4612345678";  // a prefix the configuration refuses
  EXPECT_TRUE(Has(Thrown([&] { cases.Approve(Approver(), Decision(o.id)); }).field_errors(),
                  "mobile", "invalid_mobile"));
  EXPECT_TRUE(orders.approved_clients.empty());
}

TEST_F(OrderCases, ARejectionNeedsAReason) {
  const domain::ProductionOrder o = Submitted();
  EXPECT_EQ(Thrown([&] {
              cases.Decide(Approver(), Decision(o.id), domain::OrderTransition::kReject);
            }).detail(),
            "a reason is required");
  const OrderDecision blank = Body(o.id, "  ");
  EXPECT_TRUE(Has(Thrown([&] {
                    cases.Decide(Approver(), blank, domain::OrderTransition::kReject);
                  }).field_errors(),
                  "reason", "required"));
  const OrderDecision why = Body(o.id, "no");
  const auto rejected = cases.Decide(Approver(), why, domain::OrderTransition::kReject);
  EXPECT_EQ(rejected.state, domain::OrderState::kRejected);
  EXPECT_EQ(rejected.decision_reason, "no");
  EXPECT_EQ(orders.events.back().detail_json,
            R"({"from":"submitted","reason":"no","to":"rejected"})");
}

TEST_F(OrderCases, APortalListsOnlyItsOwnOrders) {
  cases.List(testing::Portal(kOrgA), {});
  EXPECT_EQ(orders.filters.back().organisation, kOrgA);
  EXPECT_EQ(Thrown([&] { cases.List(testing::Operator(), Query("done")); }).code(),
            ErrorCode::kValidation);
}

TEST_F(OrderCases, TheListJudgesEachOpenOrderWithTheFullChecklist) {
  const domain::ProductionOrder o = Submitted("ops", domain::DeliveryMethod::kSmsZip);
  domain::Page<ListedOrder> listed = cases.ListWithReadiness(testing::Operator(), {});
  ASSERT_EQ(listed.items.size(), 1u);
  ASSERT_TRUE(listed.items[0].readiness.has_value());
  EXPECT_TRUE(listed.items[0].readiness->ready);
  EXPECT_TRUE(listed.items[0].readiness->missing.empty());

  // The case loses its contacts and its terms after submission: the order shows both.
  onboardings.rows[kCase].contacts.clear();
  onboardings.rows[kCase].terms_acceptance.reset();
  listed = cases.ListWithReadiness(testing::Operator(), {});
  ASSERT_TRUE(listed.items[0].readiness.has_value());
  EXPECT_FALSE(listed.items[0].readiness->ready);
  EXPECT_EQ(listed.items[0].readiness->missing,
            (std::vector<std::string>{"terms_accepted", "production_contacts"}));
  EXPECT_EQ(listed.items[0].order.id, o.id);
}

TEST_F(OrderCases, TheListNamesAnUnreachableDeliveryAndOldRuns) {
  Submitted("ops", domain::DeliveryMethod::kSmsZip);
  orders.rows[0].delivery_email = "not an address";
  verifications.runs.clear();
  const domain::Page<ListedOrder> listed = cases.ListWithReadiness(testing::Operator(), {});
  ASSERT_TRUE(listed.items[0].readiness.has_value());
  EXPECT_EQ(listed.items[0].readiness->missing,
            (std::vector<std::string>{"verification_tests", "delivery"}));
}

TEST_F(OrderCases, ADecidedOrderIsListedWithoutReadiness) {
  const domain::ProductionOrder o = Submitted();
  cases.Decide(Approver(), Body(o.id, "no"), domain::OrderTransition::kReject);
  const domain::Page<ListedOrder> listed = cases.ListWithReadiness(testing::Operator(), {});
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_FALSE(listed.items[0].readiness.has_value());
}

TEST_F(OrderCases, ManyChecklistsAreJudgedLikeOne) {
  const domain::Client& client = clients.rows.at(kTestClient);
  const domain::Readiness one =
      verification_cases.Evaluate(client, domain::DeliveryMethod::kSmsZip, "");
  const std::vector<domain::Readiness> many = verification_cases.EvaluateMany(
      {{kTestClient, domain::DeliveryMethod::kSmsZip, ""},
       {"00000000-0000-4000-8000-000000000000", domain::DeliveryMethod::kSmsZip, ""},
       {kTestClient, domain::DeliveryMethod::kSmsZip, ""}});
  ASSERT_EQ(many.size(), 3u);
  for (const std::size_t i : {0u, 2u}) {
    EXPECT_EQ(many[i].ready, one.ready);
    ASSERT_EQ(many[i].items.size(), one.items.size());
    for (std::size_t k = 0; k < one.items.size(); ++k) {
      EXPECT_EQ(many[i].items[k].id, one.items[k].id);
      EXPECT_EQ(many[i].items[k].ok, one.items[k].ok);
    }
  }
  EXPECT_FALSE(many[1].ready);
  EXPECT_EQ(many[1].items.at(0).id, domain::kReadinessTestClient);
}

}  // namespace
}  // namespace onboard::usecases
