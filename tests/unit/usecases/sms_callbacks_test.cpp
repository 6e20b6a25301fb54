#include <gtest/gtest.h>

#include <optional>

#include "../thrown.hpp"
#include "error.hpp"
#include "sms_callbacks.hpp"

namespace onboard::usecases {
namespace {

class FakeSmsCallbackStore final : public domain::SmsCallbackStore {
 public:
  domain::CallbackEffect Apply(const domain::SmsStatusReport& report, domain::AuditEvent audit,
                               std::chrono::minutes redact_deadline) override {
    ++applied;
    last_report = report;
    last_audit = std::move(audit);
    last_deadline = redact_deadline;
    return effect;
  }
  int applied = 0;
  domain::CallbackEffect effect = domain::CallbackEffect::kAdvanced;
  std::optional<domain::SmsStatusReport> last_report;
  domain::AuditEvent last_audit;
  std::chrono::minutes last_deadline{0};
};

const std::string kSmsUrl = "https://onboard.example/v1/callbacks/sms";
const std::string kSmsToken = "auth-token-of-the-account";
const std::string kDelivery = "5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c";

struct SmsCallbackCases : ::testing::Test {
  FakeSmsCallbackStore store;
  SmsConfig config = [] {
    SmsConfig c;
    c.auth_token = kSmsToken;
    c.status_callback_url = kSmsUrl;
    return c;
  }();
  SmsCallbacks callbacks{store, config, std::chrono::minutes(90)};

  // A callback signed as the provider signs it.
  static SmsStatusCallback Signed(twilio::FormParams form,
                                  std::string query = "delivery=" + kDelivery) {
    SmsStatusCallback c;
    c.media_type = "application/x-www-form-urlencoded";
    c.form = std::move(form);
    c.raw_query = std::move(query);
    c.signature = twilio::Signature(
        kSmsToken, kSmsUrl + (c.raw_query.empty() ? "" : "?" + c.raw_query), c.form);
    c.has_signature = true;
    c.request_id = "req-sms";
    c.source_ip = "192.0.2.7";
    return c;
  }
  static twilio::FormParams Delivered() {
    return {{"MessageSid", "SM0001"}, {"MessageStatus", "delivered"}, {"ErrorCode", ""}};
  }
  AppError Refusal(const SmsStatusCallback& c) {
    return testsupport::Thrown([&] { callbacks.Receive(c); });
  }
};

TEST_F(SmsCallbackCases, ASignedReportIsAppliedAndAuditedAsTheSmsProvider) {
  EXPECT_EQ(callbacks.Receive(Signed(Delivered())), SmsCallbackOutcome::kAdvanced);
  ASSERT_EQ(store.applied, 1);
  EXPECT_EQ(store.last_report->delivery_id, kDelivery);
  EXPECT_EQ(store.last_report->message_sid, "SM0001");
  EXPECT_EQ(store.last_report->state, domain::SmsState::kDelivered);
  EXPECT_EQ(store.last_audit.action, "delivery.sms_status");
  EXPECT_EQ(store.last_audit.target_type, "delivery");
  EXPECT_EQ(store.last_audit.target_id, kDelivery);
  EXPECT_EQ(store.last_audit.actor.name, "sms-provider");
  EXPECT_EQ(store.last_audit.actor.role, "system");
  EXPECT_EQ(store.last_audit.actor.request_id, "req-sms");
  EXPECT_EQ(store.last_audit.actor.source_ip, "192.0.2.7");
  EXPECT_EQ(store.last_deadline, std::chrono::minutes(90));
}

TEST_F(SmsCallbackCases, ATamperedParameterOrQueryBreaksTheSignature) {
  SmsStatusCallback changed = Signed(Delivered());
  changed.form[1].second = "failed";
  EXPECT_EQ(Refusal(changed).code(), ErrorCode::kForbidden);
  SmsStatusCallback other_delivery = Signed(Delivered());
  other_delivery.raw_query = "delivery=00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(Refusal(other_delivery).code(), ErrorCode::kForbidden);
  SmsStatusCallback unsigned_one = Signed(Delivered());
  unsigned_one.signature.clear();
  EXPECT_EQ(Refusal(unsigned_one).code(), ErrorCode::kForbidden);
  EXPECT_EQ(store.applied, 0);
}

TEST_F(SmsCallbackCases, WithoutTheAuthTokenOrCallbackUrlEveryCallbackIsRefused) {
  config.auth_token.clear();
  const AppError e = Refusal(Signed(Delivered()));
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_EQ(e.internal(), "sms callbacks are not configured");
  config.auth_token = kSmsToken;
  config.status_callback_url.clear();
  EXPECT_EQ(Refusal(Signed(Delivered())).code(), ErrorCode::kForbidden);
  EXPECT_EQ(store.applied, 0);
}

TEST_F(SmsCallbackCases, OnlyAReadableFormIsAccepted) {
  SmsStatusCallback json = Signed(Delivered());
  json.media_type = "application/json";
  EXPECT_EQ(Refusal(json).internal(), "not a form");
  SmsStatusCallback unreadable = Signed(Delivered());
  unreadable.form_error = "too many fields";
  EXPECT_EQ(Refusal(unreadable).internal(), "unreadable form: too many fields");
  EXPECT_EQ(store.applied, 0);
}

TEST_F(SmsCallbackCases, AReportNeedsItsSidAndStatusAndAUuidDelivery) {
  EXPECT_EQ(Refusal(Signed({{"MessageStatus", "delivered"}})).code(), ErrorCode::kBadRequest);
  EXPECT_EQ(Refusal(Signed({{"MessageSid", "SM1"}})).code(), ErrorCode::kBadRequest);
  EXPECT_EQ(Refusal(Signed(Delivered(), "delivery=not-a-uuid")).code(), ErrorCode::kBadRequest);
  EXPECT_EQ(store.applied, 0);
}

TEST_F(SmsCallbackCases, TheOlderSmsNamesAndAnyCaseOfANameAreRead) {
  EXPECT_EQ(callbacks.Receive(Signed({{"smssid", "SM9"}, {"SmsStatus", "sent"}}, "")),
            SmsCallbackOutcome::kAdvanced);
  EXPECT_EQ(store.last_report->message_sid, "SM9");
  EXPECT_EQ(store.last_report->state, domain::SmsState::kSent);
  EXPECT_EQ(store.last_report->delivery_id, "");
}

TEST_F(SmsCallbackCases, AStatusThatSaysNothingAboutDeliveryIsIgnored) {
  EXPECT_EQ(callbacks.Receive(Signed({{"MessageSid", "SM2"}, {"MessageStatus", "receiving"}})),
            SmsCallbackOutcome::kIgnored);
  EXPECT_EQ(store.applied, 0);
}

TEST_F(SmsCallbackCases, TheStoresEffectIsTheOutcome) {
  store.effect = domain::CallbackEffect::kUnchanged;
  EXPECT_EQ(callbacks.Receive(Signed(Delivered())), SmsCallbackOutcome::kUnchanged);
  store.effect = domain::CallbackEffect::kUnknownMessage;
  EXPECT_EQ(callbacks.Receive(Signed(Delivered())), SmsCallbackOutcome::kUnknownMessage);
}

}  // namespace
}  // namespace onboard::usecases
