// POST /v1/callbacks/sms against the real onboard-api: only requests signed like Twilio
// signs them (X-Twilio-Signature over the configured URL, the query and the sorted form
// parameters, keyed with the auth token) are taken; the state only moves forward; after
// `delivered` exactly one redaction is queued however often the report repeats.

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <memory>

#include "crypto.hpp"
#include "delivery_rig.hpp"
#include "twilio_signature.hpp"
#include "webhooks/catch_all_webhook.hpp"

namespace onboard::testsupport {
namespace {

// The last test watches a webhook receiver.
class SmsCallbacks : public LoopbackWebhookRigSuite<SmsCallbacks> {
 protected:
  static std::string Encode(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]", out);
    return out;
  }
  // Posts a status report for `delivery_id`; `token` signs it (empty: no signature header).
  static HttpResponse Report(const std::string& delivery_id, const std::string& sid,
                             const std::string& status, const std::string& token,
                             const std::string& signature_override = "") {
    const std::string query = "delivery=" + delivery_id;
    twilio::FormParams params{
        {"MessageSid", sid},   {"MessageStatus", status},      {"SmsSid", sid},
        {"SmsStatus", status}, {"AccountSid", kRigAccountSid}, {"To", "+4791234567"},
        {"From", "ONBOARD"},   {"ApiVersion", "2010-04-01"}};
    std::string body;
    for (const auto& [k, v] : params)
      body += (body.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
    Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!signature_override.empty())
      headers.emplace_back("X-Twilio-Signature", signature_override);
    else if (!token.empty()) {
      headers.emplace_back("X-Twilio-Signature",
                           twilio::Signature(token, rig().callback_url() + "?" + query, params));
    }
    return rig().http().Request("POST", "/v1/callbacks/sms?" + query, headers, body,
                                "application/x-www-form-urlencoded");
  }
  static std::string NewSid() { return "SM" + crypto::Hex(crypto::RandomBytes(16)); }
  static int64_t Count(const std::string& sql) { return QueryInt(rig().db().url(), sql); }
};

TEST_F(SmsCallbacks, RefusesAReportWithoutSignatureAndLogsItWithoutParameters) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: unsigned-report");
  const int64_t audits = rig().db().AuditCount();
  const HttpResponse r = Report(id, NewSid(), "delivered", "");
  EXPECT_EQ(r.status, 403) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(rig().SmsState(id), "queued");
  EXPECT_EQ(rig().db().AuditCount(), audits);
  EXPECT_TRUE(WaitUntil(
      [] { return rig().api().log().find("sms status callback rejected") != std::string::npos; },
      5s));
}

TEST_F(SmsCallbacks, RefusesAWrongSignatureAndNeverLogsItsValue) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: forged-report");
  const std::string forged = "Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ==";
  EXPECT_EQ(Report(id, NewSid(), "delivered", "", forged).status, 403);
  EXPECT_EQ(Report(id, NewSid(), "delivered", "not-the-auth-token").status, 403);
  EXPECT_EQ(rig().SmsState(id), "queued");
  EXPECT_EQ(rig().api().log().find(forged), std::string::npos)
      << "the signature value must not be logged";
}

TEST_F(SmsCallbacks, RefusesASignatureOverAnotherDeliveryId) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: replayed-report");
  const std::string other = rig().InsertDelivery(rig().NewMobile(), "Passord: other-report");
  const std::string sid = NewSid();
  twilio::FormParams params{{"MessageSid", sid}, {"MessageStatus", "delivered"}};
  const std::string signature =
      twilio::Signature(rig().auth_token(), rig().callback_url() + "?delivery=" + other, params);
  const HttpResponse r = rig().http().Request(
      "POST", "/v1/callbacks/sms?delivery=" + id,
      {{"X-Twilio-Signature", signature}, {"Content-Type", "application/x-www-form-urlencoded"}},
      "MessageSid=" + sid + "&MessageStatus=delivered", "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 403) << r.Describe();
  EXPECT_EQ(rig().SmsState(id), "queued");
}

TEST_F(SmsCallbacks, MovesTheStateForwardOnlyAndQueuesOneRedactionAfterDelivered) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: signed-report");
  const std::string sid = NewSid();
  const std::string token = rig().auth_token();
  EXPECT_EQ(Report(id, sid, "sent", token).status, 204);
  EXPECT_EQ(rig().SmsState(id), "sent");
  const HttpResponse delivered = Report(id, sid, "delivered", token);
  EXPECT_EQ(delivered.status, 204) << delivered.Describe();
  EXPECT_EQ(rig().SmsState(id), "delivered");
  const int64_t audits = rig().db().AuditCount();
  EXPECT_EQ(Report(id, sid, "delivered", token).status, 204);  // repeated
  EXPECT_EQ(Report(id, sid, "sent", token).status, 204);       // late
  EXPECT_EQ(rig().SmsState(id), "delivered");
  EXPECT_EQ(rig().db().AuditCount(), audits) << "repeated and late reports change nothing";
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'sms_redact' AND delivery_id = '" + id +
                  "' AND provider_ref = '" + sid + "'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'delivery.sms_status' AND "
                  "target_id = '" +
                  id + "'"),
            2);
  EXPECT_EQ(QueryScalar(rig().db().url(), "SELECT sms_sid FROM deliveries WHERE id = '" + id + "'"),
            sid);
}

TEST_F(SmsCallbacks, RecordsTheProvidersErrorCodeForAnUndeliveredMessage) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: undelivered-report");
  const std::string sid = NewSid();
  twilio::FormParams params{
      {"MessageSid", sid}, {"MessageStatus", "undelivered"}, {"ErrorCode", "30003"}};
  const std::string url = rig().callback_url() + "?delivery=" + id;
  const HttpResponse r = rig().http().Request(
      "POST", "/v1/callbacks/sms?delivery=" + id,
      {{"X-Twilio-Signature", twilio::Signature(rig().auth_token(), url, params)},
       {"Content-Type", "application/x-www-form-urlencoded"}},
      "MessageSid=" + sid + "&MessageStatus=undelivered&ErrorCode=30003",
      "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 204) << r.Describe();
  EXPECT_EQ(QueryScalar(rig().db().url(),
                        "SELECT sms_state || '/' || sms_error_code FROM deliveries WHERE id = '" +
                            id + "'"),
            "undelivered/30003");
  EXPECT_EQ(
      Count("SELECT count(*) FROM outbox WHERE kind = 'sms_redact' AND delivery_id = '" + id + "'"),
      0);
}

TEST_F(SmsCallbacks, IgnoresAReportAboutAnotherMessageOfTheDelivery) {
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: other-message");
  const std::string sid = NewSid();
  EXPECT_EQ(Report(id, sid, "sent", rig().auth_token()).status, 204);
  EXPECT_EQ(Report(id, NewSid(), "delivered", rig().auth_token()).status, 204);
  EXPECT_EQ(rig().SmsState(id), "sent");
}

// A provider's "sent" report that overtakes the courier (which has not recorded its own send
// yet) moves a queued SMS to sent. That is the event type delivery.sms_status, carrying the
// state reported; it reaches webhook subscribers, signed, like every other type (issue #18).
TEST_F(SmsCallbacks, AReportThatOvertakesTheCourierIsADeliverySmsStatusEvent) {
  const CatchAllWebhook webhooks(rig().http(), rig().operator_token().secret);
  const std::string id = rig().InsertDelivery(rig().NewMobile(), "Passord: overtaken-courier");
  EXPECT_EQ(Report(id, NewSid(), "sent", rig().auth_token()).status, 204);
  ASSERT_EQ(rig().SmsState(id), "sent");
  ASSERT_NO_FATAL_FAILURE(rig().StartCourier(LoopbackWebhookEnv()));  // webhooks go through it
  const auto about_it = [&] {
    std::size_t n = 0;
    for (const auto& line : webhooks.Verified("delivery.sms_status")) {
      const std::string body = line->getValue<std::string>("body");
      n += body.find(id) != std::string::npos && body.find(R"("state":"sent")") != std::string::npos
               ? 1
               : 0;
      EXPECT_EQ(body.find("Passord"), std::string::npos) << body;
    }
    return n;
  };
  EXPECT_TRUE(WaitUntil([&] { return about_it() >= 1; }, 60s))
      << "the receiver got:" << webhooks.Describe();
  EXPECT_EQ(about_it(), 1u);
  rig().StopCourier();
}

}  // namespace
}  // namespace onboard::testsupport
