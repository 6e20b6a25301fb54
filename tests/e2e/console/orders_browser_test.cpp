// The console's order work in a real Chromium (issue #16): the second operator approves a
// portal's order in the page and follows its delivery until the dev SMS provider reports
// the SMS delivered (real onboard-api, onboard-courier, onboard-dev-sms, aiosmtpd and
// PostgreSQL); the four-eyes refusal shown to the operator who entered an order; the work
// queue with 1,000 submitted orders; the queue's readiness at a glance.
#include "browser_rig.hpp"
#include "delivery_rig.hpp"
#include "e2e_helpers.hpp"
#include "e2e_shared_suite.hpp"

namespace onboard::testsupport {
namespace {

class BrowserDelivery : public SharedRigSuite<BrowserDelivery, DeliveryRig> {
 public:
  static std::unique_ptr<DeliveryRig> StartRig() {
    auto rig = std::make_unique<DeliveryRig>(browser::ConsoleApiEnv());
    rig->StartSmtp();
    rig->StartCourier();
    portal_ = CreateToken(rig->db().url(), domain::Role::kPortal, "portal");
    second_ = CreateToken(rig->db().url(), domain::Role::kOperator, "second-operator");
    return rig;
  }

 protected:
  void TearDown() override {
    if (HasFailure() && rig_) rig_->PrintLogs();
  }
  static std::map<std::string, std::string> Tokens() {
    return {{"ONBOARD_BROWSER_OPERATOR_TOKEN", rig_->operator_token().secret},
            {"ONBOARD_BROWSER_SECOND_OPERATOR_TOKEN", second_.secret},
            {"ONBOARD_BROWSER_PORTAL_TOKEN", portal_.secret}};
  }
  inline static TestToken portal_, second_;
};

TEST_F(BrowserDelivery,
       ASecondOperatorApprovesInThePageAndFollowsTheDeliveryUntilTheSmsIsDelivered) {
  browser::RunScenario("approve-and-follow", rig_->api().port(), Tokens());
}

TEST_F(BrowserDelivery, TheOperatorWhoEnteredAnOrderSeesTheFourEyesRefusal) {
  browser::RunScenario("four-eyes", rig_->api().port(), Tokens());
}

using BrowserQueue = ApiSuite<browser::ConsoleSuiteConfig>;

TEST_F(BrowserQueue, AThousandSubmittedOrdersAreInteractiveWithinOneSecond) {
  browser::RunScenario("queue-1000", env().api->port(),
                       {{"ONBOARD_BROWSER_OPERATOR_TOKEN", env().op.secret}});
}

TEST_F(BrowserQueue, ShowsWhichOrdersAreReadyAndWhatTheOthersMiss) {
  browser::RunScenario("queue-readiness", env().api->port(),
                       {{"ONBOARD_BROWSER_OPERATOR_TOKEN", env().op.secret}});
}

}  // namespace
}  // namespace onboard::testsupport
