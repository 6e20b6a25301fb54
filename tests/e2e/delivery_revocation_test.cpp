// A delivery revoked after the courier claimed its outbox rows (issue #5 follow-up): the
// real onboard-courier holds the rows in state `sending` (one batch, the first send held
// at the dev SMS provider), the secret is revoked through the API meanwhile, and the
// courier must cancel the claimed rows instead of sending them. The cancellations are
// events too: a catch-all webhook subscription sees delivery.sms_cancelled and
// delivery.email_cancelled arrive, signed, at a real receiver (issue #18).

#include <gtest/gtest.h>

#include "crypto.hpp"
#include "delivery_rig.hpp"
#include "webhooks/catch_all_webhook.hpp"

namespace onboard::testsupport {
namespace {

// The API delivers the cancellation events to a receiver on loopback.
class DeliveryRevocation : public LoopbackWebhookRigSuite<DeliveryRevocation> {
 protected:
  void TearDown() override {
    if (!rig_) return;
    if (HasFailure()) rig().PrintLogs();
    if (rig().courier() && rig().courier()->running()) rig().StopCourier();
    rig().SetFaults(R"({"faults": []})");
  }
  static std::string Url() { return rig().db().url(); }
};

TEST_F(DeliveryRevocation, AClaimedSmsAndEmailOfARevokedDeliveryAreCancelledNotSent) {
  // The first SMS of the batch hangs at the provider for a while (well inside the SMS
  // timeout), so the later rows sit claimed in state `sending` while we revoke.
  ASSERT_NO_FATAL_FAILURE(rig().StartSmtp());
  const CatchAllWebhook webhooks(rig().http(), rig().operator_token().secret);
  rig().SetFaults(R"({"faults": [{"kind": "hang", "ms": 10000, "count": 1}]})");
  const std::string kept_mobile = rig().NewMobile();
  const std::string kept =
      rig().InsertDelivery(kept_mobile, "Passord: " + crypto::Hex(crypto::RandomBytes(6)));
  const std::string revoked_mobile = rig().NewMobile();
  const std::string email = "revoked+" + std::to_string(::getpid()) + "@example.no";
  const std::string revoked =
      rig().InsertDelivery(revoked_mobile, "Passord: " + crypto::Hex(crypto::RandomBytes(6)), email,
                           "PK\x03\x04 bytes of a package");
  auto courier_env = LoopbackWebhookEnv();
  courier_env.insert({{"ONBOARD_COURIER_WORKERS", "1"},
                      {"ONBOARD_COURIER_BATCH_SIZE", "10"},
                      {"ONBOARD_COURIER_LEASE_MS", "120000"},
                      {"ONBOARD_SMS_TIMEOUT_MS", "30000"}});
  ASSERT_NO_FATAL_FAILURE(rig().StartCourier(courier_env));

  // One claim took all three rows; the first send has begun, the others have not.
  const std::string in_flight = "SELECT count(*) FROM outbox WHERE delivery_id = '" + kept +
                                "' AND state = 'sending' AND attempt_started_at IS NOT NULL";
  const std::string claimed =
      "SELECT count(*) FROM outbox WHERE delivery_id = '" + revoked +
      "' AND state = 'sending' AND claimed_by IS NOT NULL AND attempt_started_at IS NULL";
  ASSERT_TRUE(WaitUntil(
      [&] { return QueryInt(Url(), in_flight) == 1 && QueryInt(Url(), claimed) == 2; }, 30s))
      << "the courier should hold the first SMS at the provider and the revoked delivery's two "
         "rows claimed";

  // Revoke the secret through the API: the rows are not pending, so only the courier can
  // stop them now.
  const std::string client_id =
      *QueryScalar(Url(), "SELECT client_id FROM deliveries WHERE id = '" + revoked + "'");
  const std::string secret_id =
      *QueryScalar(Url(), "SELECT secret_id FROM deliveries WHERE id = '" + revoked + "'");
  const HttpResponse del = rig().http().Delete("/v1/clients/" + client_id + "/secrets/" + secret_id,
                                               Bearer(rig().operator_token().secret));
  ASSERT_EQ(del.status, 204) << del.Describe();
  ASSERT_EQ(QueryInt(Url(), "SELECT count(*) FROM deliveries WHERE id = '" + revoked +
                                "' AND revoked_at IS NOT NULL"),
            1);
  ASSERT_EQ(QueryInt(Url(), in_flight), 1)
      << "the first send ended before the revocation: the test proves nothing";

  ASSERT_TRUE(WaitUntil(
      [&] {
        return rig().OutboxState(revoked, "sms") == "cancelled" &&
               rig().OutboxState(revoked, "email") == "cancelled";
      },
      60s))
      << "sms: " << rig().OutboxState(revoked, "sms")
      << ", email: " << rig().OutboxState(revoked, "email");
  // The delivery that was not revoked still goes out.
  ASSERT_TRUE(WaitUntil([&] { return rig().OutboxState(kept, "sms") == "done"; }, 60s))
      << rig().OutboxState(kept, "sms");
  EXPECT_EQ(rig().Messages(kept_mobile).size(), 1u);

  EXPECT_TRUE(rig().Messages(revoked_mobile).empty())
      << "the SMS of a revoked delivery reached the provider";
  EXPECT_TRUE(rig().Mails(email).empty())
      << "the e-mail of a revoked delivery reached the SMTP server";
  EXPECT_EQ(
      QueryInt(
          Url(),
          "SELECT count(*) FROM outbox WHERE delivery_id = '" + revoked +
              "' AND (payload IS NOT NULL OR attempts <> 0 OR last_error_code <> 'cancelled')"),
      0)
      << "a cancelled row keeps no payload, was never attempted and says why it stopped";
  EXPECT_TRUE(WaitUntil(
      [&] {
        return QueryInt(
                   Url(),
                   "SELECT count(*) FROM audit_events WHERE target_id = '" + revoked +
                       "' AND action IN ('delivery.sms_cancelled', 'delivery.email_cancelled') "
                       "AND outcome = 'cancelled'") == 2;
      },
      30s))
      << "each cancelled row is audited";
  EXPECT_EQ(QueryInt(Url(), "SELECT count(*) FROM audit_events WHERE target_id = '" + revoked +
                                "' AND action IN ('delivery.sms_sent', 'delivery.email_sent')"),
            0);

  // Each cancellation reached the webhook receiver once, signed, naming the delivery and
  // carrying nothing of the message.
  for (const std::string type : {"delivery.sms_cancelled", "delivery.email_cancelled"}) {
    const auto about_revoked = [&] {
      std::size_t n = 0;
      for (const auto& line : webhooks.Verified(type))
        n += line->getValue<std::string>("body").find(revoked) != std::string::npos ? 1 : 0;
      return n;
    };
    EXPECT_TRUE(WaitUntil([&] { return about_revoked() >= 1; }, 60s))
        << type << " never arrived; the receiver got:" << webhooks.Describe();
    EXPECT_EQ(about_revoked(), 1u) << type;
    for (const auto& line : webhooks.Verified(type)) {
      const std::string body = line->getValue<std::string>("body");
      EXPECT_EQ(body.find("Passord"), std::string::npos) << body;
      EXPECT_EQ(body.find("PK\x03\x04"), std::string::npos) << body;
    }
  }
}

}  // namespace
}  // namespace onboard::testsupport
