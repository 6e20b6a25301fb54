// Notifications and webhooks (issue #18): the plain rules and the reminder round with a
// moved clock over an in-memory store.

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "clock.hpp"
#include "notification.hpp"
#include "notification_store.hpp"
#include "reminders.hpp"
#include "renderer.hpp"

namespace onboard {
namespace {

using namespace std::chrono;
using domain::SysTime;

SysTime T0() { return SysTime(seconds(1800000000)); }  // 2027-01-15

// ---- thresholds ------------------------------------------------------------------------

TEST(ReminderThresholds, NothingIsDueBeforeTheLargestThreshold) {
  EXPECT_FALSE(domain::DueThreshold(T0() + days(61), T0(), domain::kDefaultReminderDays));
}

TEST(ReminderThresholds, TheMostUrgentDueThresholdIsChosen) {
  EXPECT_EQ(domain::DueThreshold(T0() + days(60), T0(), domain::kDefaultReminderDays), 60);
  EXPECT_EQ(domain::DueThreshold(T0() + days(29), T0(), domain::kDefaultReminderDays), 30);
  EXPECT_EQ(domain::DueThreshold(T0() + days(13), T0(), domain::kDefaultReminderDays), 14);
  EXPECT_EQ(domain::DueThreshold(T0() + hours(5), T0(), domain::kDefaultReminderDays), 1);
}

TEST(ReminderThresholds, AnExpiredCredentialGetsNone) {
  EXPECT_FALSE(domain::DueThreshold(T0() - seconds(1), T0(), domain::kDefaultReminderDays));
}

TEST(ReminderThresholds, AThresholdAlreadySentOrPassedByAMoreUrgentOneIsNotSentAgain) {
  EXPECT_TRUE(domain::ReminderOutstanding(30, std::nullopt));
  EXPECT_TRUE(domain::ReminderOutstanding(30, 60));
  EXPECT_FALSE(domain::ReminderOutstanding(30, 30));
  EXPECT_FALSE(domain::ReminderOutstanding(30, 14));
}

TEST(ReminderThresholds, ConfiguredDaysParseSortedAndRefuseNonsense) {
  EXPECT_EQ(domain::ParseReminderDays("7, 60,1"), (std::vector<int>{60, 7, 1}));
  EXPECT_THROW(domain::ParseReminderDays("7,7"), AppError);
  EXPECT_THROW(domain::ParseReminderDays("0"), AppError);
  EXPECT_THROW(domain::ParseReminderDays("x"), AppError);
}

// ---- the reminder round with a moved clock ---------------------------------------------

class FakeReminderStore final : public domain::ReminderStore {
 public:
  std::vector<domain::ExpiringCredential> credentials;
  std::map<std::string, std::set<int>> sent;  // credential id -> thresholds
  std::set<std::string> revoked;
  std::vector<std::string> digests;

  std::vector<domain::ExpiringCredential> Expiring(SysTime now, int max_days) override {
    std::vector<domain::ExpiringCredential> out;
    const int64_t now_s = duration_cast<seconds>(now.time_since_epoch()).count();
    for (auto c : credentials) {
      if (revoked.count(c.id) != 0) continue;
      if (c.expires_at_s <= now_s || c.expires_at_s > now_s + int64_t(max_days) * 86400) continue;
      const auto& s = sent[c.id];
      if (!s.empty()) c.smallest_sent = *s.begin();
      out.push_back(c);
    }
    return out;
  }
  bool RecordReminder(const domain::ExpiringCredential& c, int threshold_days, SysTime,
                      domain::AuditEvent) override {
    return sent[c.id].insert(threshold_days).second;
  }
  bool QueueDigest(const std::string& day, const std::string&, SysTime, int) override {
    if (std::find(digests.begin(), digests.end(), day) != digests.end()) return false;
    digests.push_back(day);
    return true;
  }
};

domain::ExpiringCredential Secret(const std::string& id, SysTime expires) {
  domain::ExpiringCredential c;
  c.kind = "secret";
  c.id = id;
  c.client_id = "client-" + id;
  c.organisation = "991825827";
  c.expires_at_s = duration_cast<seconds>(expires.time_since_epoch()).count();
  return c;
}

TEST(ReminderRound, EachThresholdGoesOutOnceAsTheClockMovesDayByDay) {
  FakeReminderStore store;
  store.credentials.push_back(Secret("s1", T0() + days(70)));
  domain::ManualClock clock(T0());
  for (int day = 0; day < 75; ++day) {
    notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
    notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
    clock.Advance(hours(24));
  }
  EXPECT_EQ(store.sent["s1"], (std::set<int>{60, 30, 14, 7, 1}));
}

TEST(ReminderRound, AfterDowntimeOnlyTheMostUrgentDueThresholdIsSent) {
  FakeReminderStore store;
  store.credentials.push_back(Secret("s1", T0() + days(70)));
  domain::ManualClock clock(T0() + days(10));  // 60 days left: the 60-day reminder
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
  clock.Set(T0() + days(64));  // down from day 10 to day 64: 6 days left
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
  EXPECT_EQ(store.sent["s1"], (std::set<int>{60, 7}));
}

TEST(ReminderRound, ARevokedOrRotatedCredentialGetsNoFurtherReminders) {
  FakeReminderStore store;
  store.credentials.push_back(Secret("s1", T0() + days(40)));
  domain::ManualClock clock(T0() + days(11));  // 29 days left
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
  store.revoked.insert("s1");  // the store no longer lists it (revoked, superseded)
  clock.Set(T0() + days(39));
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "", 6, "test");
  EXPECT_EQ(store.sent["s1"], (std::set<int>{30}));
}

TEST(ReminderRound, TheDigestGoesOutOnceADayFromItsHourOn) {
  FakeReminderStore store;
  domain::ManualClock clock(SysTime(seconds(1800000000 - 1800000000 % 86400)) + hours(5));
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "ops@example.no", 6, "t");
  EXPECT_TRUE(store.digests.empty());
  clock.Advance(hours(2));
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "ops@example.no", 6, "t");
  notify::RunReminderRound(store, clock, domain::kDefaultReminderDays, "ops@example.no", 6, "t");
  ASSERT_EQ(store.digests.size(), 1u);
  EXPECT_EQ(store.digests[0], "2027-01-15");
}

// ---- contacts --------------------------------------------------------------------------

domain::NotificationContact Contact(std::string email, std::string client = "",
                                    std::vector<std::string> kinds = {"expiry", "critical"}) {
  domain::NotificationContact c;
  c.email = std::move(email);
  c.client_id = std::move(client);
  c.kinds = std::move(kinds);
  return c;
}

TEST(NotificationContacts, AClientsOwnContactsComeFirstAndTheOrganisationsAreTheFallback) {
  const std::vector<domain::NotificationContact> all = {
      Contact("org@example.no"), Contact("own@example.no", "c1"), Contact("other@example.no", "c2"),
      Contact("critical-only@example.no", "c3", {"critical"})};
  auto r = domain::RecipientsFor(all, "c1", "expiry");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].email, "own@example.no");
  r = domain::RecipientsFor(all, "c9", "expiry");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].email, "org@example.no");
  // c3's contact does not want reminders: the organisation's get them.
  r = domain::RecipientsFor(all, "c3", "expiry");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].email, "org@example.no");
}

TEST(NotificationContacts, ValidationNamesEveryBadField) {
  domain::NotificationContact c = Contact("not-an-address", "", {"expiry", "weather", "expiry"});
  c.mobile = "12345";
  c.language = "de";
  std::set<std::string> paths;
  for (const auto& e : domain::ValidateContact(c)) paths.insert(e.path);
  EXPECT_EQ(paths, (std::set<std::string>{"email", "mobile", "language", "kinds/1", "kinds/2"}));
  EXPECT_TRUE(domain::ValidateContact(Contact("kari@example.no")).empty());
}

// ---- events ----------------------------------------------------------------------------

domain::SealedAuditEvent Audit(const std::string& action, const std::string& detail,
                               const std::string& target_type = "client") {
  domain::SealedAuditEvent s;
  s.seq = 42;
  s.occurred_at_us = 1800000000LL * 1000000;
  s.event.action = action;
  s.event.organisation = "991825827";
  s.event.target_type = target_type;
  s.event.target_id = "6f1c0a52-0000-4000-8000-000000000001";
  s.event.detail_json = detail;
  return s;
}

TEST(NotificationEvents, AuditActionsBecomeTheirCataloguedTypes) {
  EXPECT_EQ(domain::EventFromAudit(Audit("client.create", "{}"))->type, "client.created");
  EXPECT_EQ(
      domain::EventFromAudit(Audit("production_order.approve", "{}", "production_order"))->type,
      "order.approved");
  const auto issued = domain::EventFromAudit(Audit("client.secret_issue", "{}"));
  EXPECT_EQ(issued->type, "secret.issued");
  EXPECT_TRUE(issued->critical);
  domain::EventFacts rotated;
  rotated.secret_rotated = true;
  EXPECT_EQ(domain::EventFromAudit(Audit("client.secret_issue", "{}"), rotated)->type,
            "secret.rotated");
  EXPECT_EQ(
      domain::EventFromAudit(Audit("delivery.sms_status", R"({"state":"delivered"})", "delivery"))
          ->type,
      "delivery.sms_delivered");
  EXPECT_EQ(domain::EventFromAudit(
                Audit("notification.expiry_reminder", R"({"credential_kind":"certificate"})"))
                ->type,
            "certificate.expiring");
}

TEST(NotificationEvents, AnOrderDecisionNamesItsTestClientSoThatClientsContactsAreTold) {
  domain::EventFacts facts;
  facts.order_client_id = "6f1c0a52-0000-4000-8000-0000000000aa";
  for (const char* action : {"production_order.approve", "production_order.reject"}) {
    const auto e = domain::EventFromAudit(
        Audit(action, R"({"production_client_id":"p1"})", "production_order"), facts);
    EXPECT_TRUE(e->critical) << action;
    EXPECT_EQ(e->client_id, facts.order_client_id) << action;
  }
  // Without the fact there is no client to tell (and no critical e-mail goes out).
  EXPECT_TRUE(domain::EventFromAudit(Audit("production_order.reject", "{}", "production_order"))
                  ->client_id.empty());
}

TEST(NotificationEvents, AnUncataloguedActionKeepsItsNameInsteadOfBeingDropped) {
  EXPECT_EQ(domain::EventFromAudit(Audit("client.something_new", "{}"))->type,
            "client.something_new");
  EXPECT_FALSE(domain::EventFromAudit(Audit("audit.checkpoint", "{}")));
}

TEST(NotificationEvents, DataNeverCarriesASecretPasswordOrToken) {
  const auto e = domain::EventFromAudit(
      Audit("client.secret_issue",
            R"({"secret_id":"s1","secret_prefix":"ab12","client_secret":"x","zip_password":"p",)"
            R"("nested":{"access_token":"t","ok":1},"registration_access_token_hash":"h"})"));
  const std::string body = domain::EventJson(*e);
  EXPECT_EQ(body.find("\"x\""), std::string::npos);
  EXPECT_EQ(body.find("zip_password"), std::string::npos);
  EXPECT_EQ(body.find("access_token"), std::string::npos);
  EXPECT_EQ(body.find("registration_access_token_hash"), std::string::npos);
  EXPECT_NE(body.find("\"secret_prefix\":\"ab12\""), std::string::npos);
  EXPECT_NE(body.find("\"ok\":1"), std::string::npos);
}

TEST(NotificationEvents, TheBodyHasTheDocumentedShape) {
  auto e = domain::EventFromAudit(Audit("client.create", "{}"));
  e->id = "evt-1";
  Poco::JSON::Parser parser;
  auto o = parser.parse(domain::EventJson(*e)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("id"), "evt-1");
  EXPECT_EQ(o->getValue<std::string>("type"), "client.created");
  EXPECT_EQ(o->getValue<std::string>("occurred_at"), "2027-01-15T08:00:00.000000Z");
  EXPECT_EQ(o->getValue<std::string>("organisation"), "991825827");
  EXPECT_EQ(o->getValue<std::string>("client_id"), "6f1c0a52-0000-4000-8000-000000000001");
  EXPECT_TRUE(o->getObject("data"));
}

// ---- webhooks --------------------------------------------------------------------------

TEST(WebhookSignature, MatchesTheStandardWebhooksSpecificationsExample) {
  EXPECT_EQ(domain::WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                     "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                     R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, ANewSecretIsWhsecAndBase64Of32Bytes) {
  const std::string s = domain::NewWebhookSecret();
  ASSERT_EQ(s.rfind("whsec_", 0), 0u);
  EXPECT_EQ(s.size(), 6u + 44u);
  EXPECT_NE(s, domain::NewWebhookSecret());
}

TEST(WebhookTargets, HttpsIsRequiredUnlessAllowed) {
  EXPECT_EQ(domain::CheckWebhookUrl("http://hooks.example.no/x", false, false).code,
            "webhook_https_required");
  EXPECT_TRUE(domain::CheckWebhookUrl("http://hooks.example.no/x", true, false).ok());
  EXPECT_TRUE(domain::CheckWebhookUrl("https://hooks.example.no:8443/x?y=1", false, false).ok());
}

TEST(WebhookTargets, LoopbackPrivateAndLinkLocalTargetsAreRefused) {
  for (const char* url :
       {"https://127.0.0.1/", "https://10.1.2.3/", "https://192.168.0.1/", "https://172.20.0.1/",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[fe80::1]/",
        "https://[fd00::1]/", "https://[::ffff:127.0.0.1]/", "https://localhost/",
        "https://0.0.0.0/", "https://100.64.0.1/"}) {
    EXPECT_EQ(domain::CheckWebhookUrl(url, false, false).code, "webhook_target_not_allowed") << url;
    EXPECT_TRUE(domain::CheckWebhookUrl(url, false, true).ok()) << url;
  }
  EXPECT_TRUE(domain::CheckWebhookUrl("https://93.184.216.34/", false, false).ok());
}

TEST(WebhookTargets, MalformedUrlsAndUserInfoAreRefused) {
  for (const char* url :
       {"ftp://example.no/", "https://", "https://user:pw@example.no/", "https://example.no/#frag",
        "https://exa mple.no/", "https://example.no:99999/", "example.no"}) {
    EXPECT_EQ(domain::CheckWebhookUrl(url, true, true).code, "webhook_url_invalid") << url;
  }
}

TEST(WebhookTargets, PublicAddressesArePublic) {
  EXPECT_FALSE(domain::IsNonPublicAddress("8.8.8.8"));
  EXPECT_FALSE(domain::IsNonPublicAddress("2a00:1450:4010::64"));
  EXPECT_TRUE(domain::IsNonPublicAddress("not an address"));
}

// ---- texts -----------------------------------------------------------------------------

TEST(NotificationTexts, AReminderNamesClientEnvironmentKindPrefixAndExpiryInBothLanguages) {
  notify::TemplateRenderer r;
  domain::ExpiringCredential c = Secret("s1", T0());
  c.client_name = "Skatteetaten Min side";
  c.environment = "production";
  c.label = "ab12cd";
  for (const std::string lang : {"nb", "en"}) {
    const auto m = r.Reminder(c, 14, lang);
    for (const std::string& text : {m.subject, m.text}) {
      EXPECT_NE(text.find("Skatteetaten Min side"), std::string::npos) << lang << text;
      EXPECT_NE(text.find("production"), std::string::npos) << lang << text;
      EXPECT_NE(text.find("14"), std::string::npos) << lang << text;
    }
    EXPECT_NE(m.text.find("ab12cd"), std::string::npos);
    EXPECT_NE(m.text.find("2027-01-15 08:00"), std::string::npos) << m.text;
    EXPECT_NE(m.text.find("client-s1"), std::string::npos);
    EXPECT_FALSE(m.sms.empty());
  }
  EXPECT_NE(r.Reminder(c, 14, "nb").text.find("Klienthemmeligheten"), std::string::npos);
  EXPECT_NE(r.Reminder(c, 14, "en").text.find("client secret"), std::string::npos);
}

TEST(NotificationTexts, ACriticalEventSaysWhatHappened) {
  notify::TemplateRenderer r;
  auto e = domain::EventFromAudit(Audit("delivery.package_second_download", "{}", "delivery"));
  e->id = "evt-1";
  const domain::MessageClient client{"c1", "Min side", "production", "991825827"};
  const auto en = r.Critical(*e, client, "en");
  EXPECT_NE(en.subject.find("ALARM"), std::string::npos) << en.subject;
  EXPECT_NE(en.text.find("revoked and reissued"), std::string::npos) << en.text;
  const auto nb = r.Critical(*e, client, "nb");
  EXPECT_NE(nb.text.find("trekkes tilbake"), std::string::npos) << nb.text;
}

}  // namespace
}  // namespace onboard
