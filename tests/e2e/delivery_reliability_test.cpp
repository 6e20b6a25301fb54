// Faults on the way out (issue #5, "nothing lost, nothing twice"): the real onboard-courier,
// onboard-dev-sms, aiosmtpd and onboard-api processes; the dev provider misbehaves on
// command (POST /_control) or is stopped outright, the courier is SIGKILLed mid-batch. Every
// delivery must end delivered, and the provider must have received each SMS exactly once.

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <set>

#include "crypto.hpp"
#include "delivery_rig.hpp"
#include "e2e_shared_suite.hpp"

namespace onboard::testsupport {
namespace {

class DeliveryFaults : public SharedRigSuite<DeliveryFaults, DeliveryRig> {
 protected:
  void SetUp() override {
    SharedRigSuite::SetUp();
    if (HasFatalFailure()) return;
    rig().SetFaults(R"({"faults": []})");
  }
  void TearDown() override {
    if (!rig_) return;
    if (HasFailure()) rig().PrintLogs();
    if (rig().courier() && rig().courier()->running()) rig().StopCourier();
  }

  struct Sent {
    std::string delivery_id, mobile, body;
  };
  // `n` deliveries, each with its own number and password text.
  static std::vector<Sent> Issue(int n) {
    std::vector<Sent> out;
    for (int i = 0; i < n; ++i) {
      Sent s;
      s.mobile = rig().NewMobile();
      s.body = "Passord for pakken: " + crypto::Hex(crypto::RandomBytes(6));
      s.delivery_id = rig().InsertDelivery(s.mobile, s.body);
      out.push_back(s);
    }
    return out;
  }
  static std::vector<std::string> Ids(const std::vector<Sent>& v) {
    std::vector<std::string> ids;
    for (const auto& s : v) ids.push_back(s.delivery_id);
    return ids;
  }
  // Every delivery delivered, each SMS at the provider exactly once with the right body,
  // its outbox row done with the payload erased, and the body later redacted.
  static void ExpectDeliveredExactlyOnce(const std::vector<Sent>& sent) {
    ASSERT_TRUE(rig().WaitForSmsStates(Ids(sent), "delivered", 60s))
        << "not every delivery reached delivered";
    // A status report can come before the courier has recorded the send: wait for that too.
    ASSERT_TRUE(WaitUntil(
        [&] {
          for (const auto& s : sent) {
            if (rig().OutboxState(s.delivery_id, "sms") != "done") return false;
          }
          return true;
        },
        60s))
        << "not every SMS outbox row was recorded as done";
    for (const auto& s : sent) {
      const auto messages = rig().Messages(s.mobile);
      ASSERT_EQ(messages.size(), 1u)
          << "the provider must receive the SMS to " << s.mobile << " exactly once";
      const bool redacted = WaitUntil(
          [&] { return rig().Messages(s.mobile).at(0)->getValue<bool>("redacted"); }, 30s);
      EXPECT_TRUE(redacted) << "the body must be redacted after delivery";
      EXPECT_EQ(rig().OutboxState(s.delivery_id, "sms"), "done");
      EXPECT_EQ(QueryInt(rig().db().url(), "SELECT count(*) FROM outbox WHERE delivery_id = '" +
                                               s.delivery_id + "' AND payload IS NOT NULL"),
                0)
          << "a finished outbox row keeps no payload";
      EXPECT_EQ(QueryScalar(rig().db().url(),
                            "SELECT sms_sid FROM deliveries WHERE id = '" + s.delivery_id + "'"),
                messages[0]->getValue<std::string>("sid"));
    }
  }
  static int CourierLogCount(const std::string& needle) {
    const std::string logs = rig().CourierLogs();
    int n = 0;
    for (std::size_t at = logs.find(needle); at != std::string::npos;
         at = logs.find(needle, at + 1))
      ++n;
    return n;
  }
};

TEST_F(DeliveryFaults, RetriesAfterServerErrorsAndDeliversEachSmsOnce) {
  rig().SetFaults(R"({"faults": [{"kind": "status", "status": 500, "count": 3},
                                 {"kind": "status", "status": 503, "count": 1}]})");
  const auto sent = Issue(3);
  rig().StartCourier();
  ExpectDeliveredExactlyOnce(sent);
  EXPECT_GE(CourierLogCount("\"http_status\":500"), 1);
}

TEST_F(DeliveryFaults, AcceptedThenFailedIsLookedUpInsteadOfSentAgain) {
  rig().SetFaults(R"({"faults": [{"kind": "accept_then_fail", "count": 2}]})");
  const auto sent = Issue(2);
  rig().StartCourier();
  ExpectDeliveredExactlyOnce(sent);
  EXPECT_GE(CourierLogCount("\"found_by\":"), 2)
      << "both were found (listing or status report), not resent";
}

TEST_F(DeliveryFaults, HonoursRetryAfterOnTooManyRequests) {
  rig().SetFaults(R"({"faults": [{"kind": "rate_limit", "retry_after_s": 2, "count": 1}]})");
  const auto sent = Issue(1);
  const auto started = std::chrono::steady_clock::now();
  rig().StartCourier();
  ExpectDeliveredExactlyOnce(sent);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 2s)
      << "the retry must wait for Retry-After";
  const std::regex retry_in(R"re("code":"20429".*"retry_in_ms":([0-9]+))re");
  std::smatch m;
  const std::string logs = rig().CourierLogs();
  ASSERT_TRUE(std::regex_search(logs, m, retry_in)) << logs;
  EXPECT_GE(std::stoi(m[1]), 2000);
}

TEST_F(DeliveryFaults, AProviderHangingPastTheTimeoutIsLookedUpBeforeResending) {
  rig().SetFaults(R"({"faults": [{"kind": "hang", "ms": 2500, "count": 1}]})");
  const auto sent = Issue(1);
  rig().StartCourier();
  ExpectDeliveredExactlyOnce(sent);
  EXPECT_GE(CourierLogCount("\"code\":\"timeout\""), 1);
  EXPECT_GE(CourierLogCount("\"found_by\":"), 1);
}

TEST_F(DeliveryFaults, KeepsRetryingWhileTheProviderRefusesConnectionsThenDelivers) {
  rig().StopDevSms();
  const auto sent = Issue(2);
  rig().StartCourier();
  ASSERT_TRUE(WaitUntil([] { return CourierLogCount("\"code\":\"connect\"") >= 2; }, 30s))
      << "the courier should have met refused connections";
  // Still to be sent: waiting for its next attempt, or claimed for one right now.
  for (const auto& s : sent) {
    const std::string state = rig().OutboxState(s.delivery_id, "sms");
    EXPECT_TRUE(state == "pending" || state == "sending") << state;
  }
  rig().StartDevSms();
  ExpectDeliveredExactlyOnce(sent);
}

TEST_F(DeliveryFaults, APermanentRefusalFailsTheStepWithTheProvidersCode) {
  rig().SetFaults(R"({"faults": [{"kind": "reject", "status": 400, "code": 21610,
                                  "message": "Attempt to send to unsubscribed recipient"}]})");
  const auto sent = Issue(1);
  rig().StartCourier();
  ASSERT_TRUE(rig().WaitForSmsStates(Ids(sent), "failed", 30s));
  const std::string url = rig().db().url();
  const std::string id = sent[0].delivery_id;
  EXPECT_EQ(QueryScalar(url, "SELECT sms_error_code FROM deliveries WHERE id = '" + id + "'"),
            "21610");
  EXPECT_EQ(QueryScalar(url, "SELECT sms_error_message FROM deliveries WHERE id = '" + id + "'"),
            "Attempt to send to unsubscribed recipient");
  EXPECT_EQ(rig().OutboxState(id, "sms"), "failed");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM outbox WHERE delivery_id = '" + id +
                              "' AND payload IS NOT NULL"),
            0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_events WHERE target_id = '" + id +
                              "' AND action = 'delivery.sms_failed'"),
            1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM outbox WHERE delivery_id = '" + id +
                              "' AND attempts = 1"),
            1)
      << "a permanent refusal is not retried";
}

TEST_F(DeliveryFaults, ACourierKilledMidBatchLosesNothingAndDoublesNothing) {
  // Slow answers (0.4 s each, inside the 1 s timeout) so the kill lands mid-batch.
  rig().SetFaults(R"({"faults": [{"kind": "hang", "ms": 400, "count": 100}]})");
  const auto sent = Issue(12);
  rig().StartCourier();
  ASSERT_TRUE(WaitUntil([&] { return rig().Messages().size() >= 1; }, 30s));
  ASSERT_TRUE(WaitUntil(
      [&] {
        int done = 0;
        for (const auto& s : sent)
          done += rig().OutboxState(s.delivery_id, "sms") == "done" ? 1 : 0;
        return done >= 3;
      },
      30s));
  rig().KillCourier();
  const int64_t in_flight = QueryInt(
      rig().db().url(), "SELECT count(*) FROM outbox WHERE kind = 'sms' AND state = 'sending'");
  rig().SetFaults(R"({"faults": []})");
  rig().StartCourier();
  ExpectDeliveredExactlyOnce(sent);
  std::cerr << "rows claimed by the killed courier: " << in_flight << "\n";
}

TEST_F(DeliveryFaults, TwoCouriersShareTheWorkWithoutSendingAnythingTwice) {
  // Slow answers, so that neither courier can take everything before the other looks.
  rig().SetFaults(R"({"faults": [{"kind": "hang", "ms": 200, "count": 100}]})");
  rig().StartCourier({{"ONBOARD_COURIER_BATCH_SIZE", "2"}, {"ONBOARD_COURIER_WORKERS", "1"}});
  auto second = rig().ExtraCourier(
      "courier-second", {{"ONBOARD_COURIER_BATCH_SIZE", "2"}, {"ONBOARD_COURIER_WORKERS", "1"}});
  const auto sent = Issue(10);
  ExpectDeliveredExactlyOnce(sent);
  const std::string url = rig().db().url();
  EXPECT_EQ(
      QueryInt(
          url,
          "SELECT count(DISTINCT split_part(detail::jsonb->>'courier', '/', 1)) FROM audit_events "
          "WHERE action = 'delivery.sms_sent' AND target_id IN ('" +
              [&] {
                std::string in;
                for (const auto& s : sent) in += (in.empty() ? "" : "','") + s.delivery_id;
                return in;
              }() +
              "')"),
      2)
      << "both couriers should have sent some";
  EXPECT_EQ(second->Terminate(10s), std::optional<int>(0)) << second->log();
}

TEST_F(DeliveryFaults, AnEmailWaitsWhileTheSmtpServerIsDownAndGoesOutWhenItIsBack) {
  rig().StopSmtp();
  const std::string mobile = rig().NewMobile();
  const std::string email = "drift+" + std::to_string(::getpid()) + "@example.no";
  const std::string zip = "PK\x03\x04 not really a zip, but bytes to carry";
  const std::string id =
      rig().InsertDelivery(mobile, "Passord: " + crypto::Hex(crypto::RandomBytes(6)), email, zip);
  rig().StartCourier();
  ASSERT_TRUE(WaitUntil([] { return CourierLogCount("\"kind\":\"email\"") >= 2; }, 30s))
      << "the courier should have failed to reach the SMTP server";
  EXPECT_EQ(rig().OutboxState(id, "email"), "pending");
  EXPECT_TRUE(rig().Mails(email).empty());
  rig().StartSmtp();
  ASSERT_TRUE(WaitUntil([&] { return rig().OutboxState(id, "email") == "done"; }, 30s));
  const auto mails = rig().Mails(email);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].attachment_name, "package.zip");
  EXPECT_EQ(mails[0].attachment, zip);
  EXPECT_NE(mails[0].text.find("The package is attached."), std::string::npos) << mails[0].text;
  EXPECT_EQ(QueryScalar(rig().db().url(),
                        "SELECT email_state || '/' || package_state FROM deliveries WHERE id = '" +
                            id + "'"),
            "sent/emailed");
  EXPECT_EQ(QueryInt(rig().db().url(), "SELECT count(*) FROM audit_events WHERE target_id = '" +
                                           id + "' AND action = 'delivery.email_sent'"),
            1);
}

}  // namespace
}  // namespace onboard::testsupport
