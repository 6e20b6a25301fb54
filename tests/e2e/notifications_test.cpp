// Notifications and webhooks end to end (issue #18): the real onboard-api (two instances),
// onboard-courier (two), onboard-dev-sms, aiosmtpd and a webhook receiver in Node.js that
// verifies every delivery with the Standard Webhooks reference library (npm
// `standardwebhooks`, pinned in ops/node). A missing peer fails the suite.

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "client_fixtures.hpp"
#include "delivery_rig.hpp"
#include "e2e_journey.hpp"
#include "evidence.hpp"
#include "pki_fixtures.hpp"
#include "test_support.hpp"
#include "webhooks/webhook_receiver.hpp"

namespace onboard::testsupport {
namespace {

using namespace std::chrono_literals;

// A valid organisation number (mod-11) from eight digits.
std::string Orgno(int seed) {
  static const int kWeights[] = {3, 2, 7, 6, 5, 4, 3, 2};
  for (int n = seed;; ++n) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "9%07d", n % 10000000);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (digits[i] - '0') * kWeights[i];
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    return std::string(digits) + std::to_string(check);
  }
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

// The enterprise-certificate roots the suite's API trusts (written once per process).
const pki::Cert& TestRoot() {
  static const pki::Cert root = pki::MakeRoot("Notify Test Root CA");
  return root;
}

std::map<std::string, std::string> CertificateEnv() {
  static const std::string test_ca = pki::WriteTempFile("notify-test-ca.pem", TestRoot().Pem());
  static const std::string production_ca = pki::WriteTempFile(
      "notify-production-ca.pem", pki::MakeRoot("Notify Production Root CA").Pem());
  return {{"ONBOARD_CERTIFICATES_TEST_CA_FILE", test_ca},
          {"ONBOARD_CERTIFICATES_PRODUCTION_CA_FILE", production_ca}};
}

// The settings every onboard-api and onboard-courier of this suite runs with.
std::map<std::string, std::string> NotifyEnv() {
  auto env = CertificateEnv();
  env.insert({{"ONBOARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"},
              {"ONBOARD_WEBHOOKS_ALLOW_HTTP", "true"},
              {"ONBOARD_WEBHOOKS_RETRY_BASE_MS", "200"},
              {"ONBOARD_WEBHOOKS_RETRY_MAX_MS", "1000"},
              {"ONBOARD_WEBHOOKS_TIMEOUT_MS", "2000"},
              {"ONBOARD_NOTIFY_DISPATCH_INTERVAL_MS", "100"},
              {"ONBOARD_NOTIFY_SCHEDULER_INTERVAL_MS", "200"},
              {"ONBOARD_NOTIFY_OPERATOR_EMAIL", "operators@digdir.example.no"},
              {"ONBOARD_NOTIFY_DIGEST_HOUR_UTC", "0"},
              {"ONBOARD_TESTING_CLOCK_CONTROL", "true"}});
  return env;
}

using Receiver = WebhookReceiver;

std::vector<Poco::JSON::Object::Ptr> Received(int port) {
  return WebhookReceiver::ReceivedAt(port);
}

class Notifications : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    catch_all_.reset();
    extra_api_.reset();
    extra_courier_.reset();
    rig_.reset();
  }
  void SetUp() override {
    if (!rig_ && error_.empty()) {
      try {
        rig_ = std::make_unique<DeliveryRig>();
        rig_->StartSmtp();
        rig_->RestartApi(NotifyEnv());
        rig_->StartCourier(NotifyEnv());
        portal_ = CreateToken(rig_->db().url(), domain::Role::kPortal, "notify-portal");
        StartCatchAll();
      } catch (const std::exception& e) {
        error_ = e.what();
      }
    }
    ASSERT_TRUE(rig_) << "the notification rig did not start: " << error_;
  }
  void TearDown() override {
    if (HasFailure() && rig_) {
      rig_->PrintLogs();
      std::cerr << "---- api log ----\n" << rig_->api().log().substr(0, 20000) << "\n";
    }
  }

  static DeliveryRig& rig() { return *rig_; }

  static HttpResponse Op(const std::string& method, const std::string& path,
                         const std::optional<std::string>& body = std::nullopt, Headers more = {}) {
    return rig().http().Request(method, path, Bearer(rig().operator_token().secret, more), body);
  }
  static HttpResponse Portal(const std::string& orgno, const std::string& method,
                             const std::string& path,
                             const std::optional<std::string>& body = std::nullopt) {
    return rig().http().Request(
        method, path,
        Bearer(portal_.secret, {{"X-Onboard-Org", orgno}, {"X-Onboard-User", "kari"}}), body);
  }

  static std::string NewOrg(const std::string& name) {
    const std::string orgno = Orgno(1000 + 37 * ++orgs_);
    const auto r =
        Op("POST", "/v1/organisations", R"({"orgno":")" + orgno + R"(","name":")" + name + R"("})");
    EXPECT_EQ(r.status, 201) << r.Describe();
    return orgno;
  }
  static std::string NewClient(const std::string& orgno, const std::string& name) {
    const auto r = Op("POST", "/v1/clients", Json(LoginClient(orgno, name)));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : "";
  }
  static std::string AddContact(const std::string& path, const std::string& email,
                                const std::string& extra = "") {
    const auto r = Op("POST", path, R"({"email":")" + email + "\"" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("id") : "";
  }
  // A notification contact of organisation `orgno` (or of client `client_id`).
  static std::string AddOrgContact(const std::string& orgno, const std::string& email,
                                   const std::string& extra = "") {
    return AddContact("/v1/organisations/" + orgno + "/notification-contacts", email, extra);
  }
  static std::string AddClientContact(const std::string& client_id, const std::string& email,
                                      const std::string& extra = "") {
    return AddContact("/v1/clients/" + client_id + "/notification-contacts", email, extra);
  }
  static void SetClock(int64_t offset_s) {
    for (HttpClient* http : {&rig().http(), extra_http_.get()}) {
      if (http == nullptr) continue;
      const auto r =
          http->Request("PUT", "/v1/testing/clock", Bearer(rig().operator_token().secret),
                        R"({"offset_s":)" + std::to_string(offset_s) + "}");
      ASSERT_EQ(r.status, 200) << r.Describe();
    }
  }

  // A free loopback port for a new Receiver, with no log left there by an earlier one.
  static int FreshReceiverPort() {
    const int port = FreeLoopbackPort();
    std::remove(Receiver::LogPath(port).c_str());
    return port;
  }
  // The portal of `orgno` subscribes http://127.0.0.1:`port`/ to client.created.
  static HttpResponse SubscribeToClientCreated(const std::string& orgno, int port) {
    return Portal(orgno, "POST", "/v1/webhooks",
                  R"({"url":"http://127.0.0.1:)" + std::to_string(port) +
                      R"(/","events":["client.created"]})");
  }

  // Puts the shared test clock back to now when it goes out of scope, however the test
  // ends.
  struct ClockBackToNow {
    ~ClockBackToNow() { SetClock(0); }
  };

  // The operator's subscription to every event of every organisation, made before any
  // test runs: the last test checks that every catalogued type reached it.
  static void StartCatchAll() {
    catch_all_port_ = FreeLoopbackPort();
    std::remove(WebhookReceiver::LogPath(catch_all_port_).c_str());
    const auto r = Op("POST", "/v1/webhooks",
                      R"({"url":"http://127.0.0.1:)" + std::to_string(catch_all_port_) +
                          R"(/all","events":["*"],"description":"every event"})");
    if (r.status != 201 || !r.json)
      throw std::runtime_error("the catch-all subscription was refused: " + r.Describe());
    catch_all_id_ = r.json->getValue<std::string>("id");
    catch_all_secret_ = r.json->getValue<std::string>("secret");
    evidence::RecordSecret(catch_all_secret_);
    catch_all_ = std::make_unique<WebhookReceiver>(catch_all_port_, catch_all_secret_);
  }

  static inline std::unique_ptr<DeliveryRig> rig_;
  static inline std::unique_ptr<WebhookReceiver> catch_all_;
  static inline int catch_all_port_ = 0;
  static inline std::string catch_all_id_;
  static inline std::string catch_all_secret_;
  static inline std::unique_ptr<ApiProcess> extra_api_;
  static inline std::unique_ptr<HttpClient> extra_http_;
  static inline std::unique_ptr<ChildProcess> extra_courier_;
  static inline std::string error_;
  static inline TestToken portal_;
  static inline int orgs_ = 0;
};

// ---- contacts --------------------------------------------------------------------------

TEST_F(Notifications, ContactsAreManagedByOperatorsAndTheOrganisationItselfAndAudited) {
  const std::string orgno = NewOrg("Kontaktetaten");
  const std::string other = NewOrg("Andre etaten");
  auto missing = Op("GET", "/v1/reports/missing-notification-contacts");
  ASSERT_EQ(missing.status, 200) << missing.Describe();
  EXPECT_NE(missing.body.find(orgno), std::string::npos);

  const std::string path = "/v1/organisations/" + orgno + "/notification-contacts";
  auto created = Portal(orgno, "POST", path,
                        R"({"email":"drift@kontakt.example.no","mobile":"+4791234567",)"
                        R"("language":"en","kinds":["expiry","critical"]})");
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("id");
  EXPECT_EQ(created.json->getValue<std::string>("language"), "en");

  // Another organisation's portal neither sees nor changes it.
  EXPECT_EQ(Portal(other, "GET", path).status, 404);
  EXPECT_EQ(Portal(other, "GET", "/v1/notification-contacts/" + id).status, 404);
  EXPECT_EQ(Portal(other, "DELETE", "/v1/notification-contacts/" + id).status, 404);

  auto bad = Op("POST", path, R"({"email":"nope","language":"de","kinds":["weather"]})");
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_TRUE(HasFieldError(bad, "email", "invalid_email")) << bad.body;
  EXPECT_TRUE(HasFieldError(bad, "language", "invalid_language")) << bad.body;
  EXPECT_TRUE(HasFieldError(bad, "kinds/0", "unknown_kind")) << bad.body;
  EXPECT_EQ(Op("POST", path, R"({"email":"drift@kontakt.example.no"})").status, 409);

  auto replaced =
      Op("PUT", "/v1/notification-contacts/" + id,
         R"({"email":"drift@kontakt.example.no","language":"nb"})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(replaced.status, 200) << replaced.Describe();
  EXPECT_EQ(replaced.json->getValue<std::string>("language"), "nb");
  EXPECT_EQ(Op("PUT", "/v1/notification-contacts/" + id, R"({"email":"x@kontakt.example.no"})",
               {{"If-Match", "\"1\""}})
                .status,
            412);

  // A client's own contact, shown in the support lookup with the organisation's.
  const std::string client_id = NewClient(orgno, "Kontaktklient");
  AddClientContact(client_id, "klient@kontakt.example.no");
  auto lookup = Op("GET", "/v1/support/lookup?client_id=" + client_id + "&environment=test");
  ASSERT_EQ(lookup.status, 200) << lookup.Describe();
  EXPECT_NE(lookup.body.find("klient@kontakt.example.no"), std::string::npos) << lookup.body;
  EXPECT_NE(lookup.body.find("drift@kontakt.example.no"), std::string::npos) << lookup.body;

  missing = Op("GET", "/v1/reports/missing-notification-contacts");
  EXPECT_EQ(missing.body.find(orgno), std::string::npos);
  EXPECT_NE(missing.body.find(other), std::string::npos);
  EXPECT_EQ(Portal(orgno, "GET", "/v1/reports/missing-notification-contacts").status, 403);

  auto audit = Op("GET", "/v1/audit/events?organisation=" + orgno);
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  EXPECT_NE(audit.body.find("notification_contact.create"), std::string::npos);
  EXPECT_NE(audit.body.find("notification_contact.update"), std::string::npos);
  EXPECT_EQ(Op("DELETE", "/v1/notification-contacts/" + id).status, 204);
  EXPECT_EQ(Op("GET", "/v1/notification-contacts/" + id).status, 404);
}

// ---- webhooks --------------------------------------------------------------------------

TEST_F(Notifications, EveryEventTypeArrivesAtARealReceiverWithAVerifiedSignature) {
  const std::string orgno = NewOrg("Webhooketaten");
  const int port = FreshReceiverPort();
  auto created =
      Portal(orgno, "POST", "/v1/webhooks",
             R"({"url":"http://127.0.0.1:)" + std::to_string(port) + R"(/hooks","events":["*"]})");
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string secret = created.json->getValue<std::string>("secret");
  evidence::RecordSecret(secret);  // the final secrets scan looks for it in every log and table
  const std::string webhook_id = created.json->getValue<std::string>("id");
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  // The secret is shown once: never again.
  auto got = Portal(orgno, "GET", "/v1/webhooks/" + webhook_id);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.body.find(secret.substr(6)), std::string::npos);
  Receiver receiver(port, secret);

  // Changes of every kind this organisation can make.
  const std::string client_id = NewClient(orgno, "Hendelsesklient");
  AddOrgContact(orgno, "drift@hook.example.no");
  auto patched = Op("PATCH", "/v1/clients/" + client_id, R"({"description":"ny tekst"})",
                    {{"Content-Type", "application/merge-patch+json"}});
  EXPECT_EQ(patched.status, 200) << patched.Describe();
  auto s1 = Op("POST", "/v1/clients/" + client_id + "/secret");
  ASSERT_EQ(s1.status, 201) << s1.Describe();
  auto s2 = Op("POST", "/v1/clients/" + client_id + "/secret");
  ASSERT_EQ(s2.status, 201) << s2.Describe();
  const std::string s2_id = s2.json->getValue<std::string>("secret_id");
  EXPECT_EQ(Op("DELETE", "/v1/clients/" + client_id + "/secrets/" + s2_id).status / 100, 2);
  EXPECT_EQ(Op("POST", "/v1/clients/" + client_id + "/deactivate").status, 200);
  EXPECT_EQ(Op("POST", "/v1/clients/" + client_id + "/reactivate").status, 200);
  EXPECT_EQ(Portal(orgno, "POST", "/v1/webhooks/" + webhook_id + "/test").status, 202);

  const std::set<std::string> expected = {"client.created",     "notification_contact.created",
                                          "client.updated",     "secret.issued",
                                          "secret.rotated",     "secret.revoked",
                                          "client.deactivated", "client.reactivated",
                                          "webhook.test"};
  std::set<std::string> types;
  ASSERT_TRUE(WaitFor(
      [&] {
        types.clear();
        for (const auto& line : Received(port))
          if (line->getValue<bool>("verified")) types.insert(line->getValue<std::string>("type"));
        return std::includes(types.begin(), types.end(), expected.begin(), expected.end());
      },
      30s))
      << "received: " << [&] {
           std::string t;
           for (const auto& x : types) t += x + " ";
           return t;
         }();
  for (const auto& line : Received(port)) {
    EXPECT_TRUE(line->getValue<bool>("verified")) << line->getValue<std::string>("error");
    EXPECT_EQ(line->getValue<std::string>("webhook_id"), line->getValue<std::string>("id"));
    EXPECT_EQ(line->getValue<std::string>("organisation"), orgno);
    const std::string body = line->getValue<std::string>("body");
    // A secret never travels in an event: not the client secrets, not the signing secret.
    EXPECT_EQ(body.find(secret.substr(6)), std::string::npos);
    if (s1.json) {
      EXPECT_EQ(body.find(s1.json->getValue<std::string>("client_secret")), std::string::npos);
    }
    EXPECT_EQ(body.find("client_secret\""), std::string::npos) << body;
  }
  // Nothing of another organisation reaches this organisation's subscription.
  const std::string neighbour = NewOrg("Naboetaten");
  NewClient(neighbour, "Naboklient");
  std::this_thread::sleep_for(1s);
  for (const auto& line : Received(port))
    EXPECT_EQ(line->getValue<std::string>("body").find(neighbour), std::string::npos);

  auto log = Portal(orgno, "GET", "/v1/webhooks/" + webhook_id + "/deliveries");
  ASSERT_EQ(log.status, 200) << log.Describe();
  auto items = log.json->getArray("items");
  ASSERT_GE(items->size(), expected.size());
  auto first = items->getObject(0);
  EXPECT_EQ(first->getValue<int>("status"), 204);
  EXPECT_GE(first->getValue<int>("latency_ms"), 0);
}

TEST_F(Notifications, RetriesKeepTheWebhookIdAndAReceiverThatWasDownGetsEverythingLater) {
  const std::string orgno = NewOrg("Nedetidsetaten");
  const int port = FreshReceiverPort();
  auto created = Op("POST", "/v1/webhooks",
                    R"({"url":"http://127.0.0.1:)" + std::to_string(port) +
                        R"(/","events":["client.created"],"organisation":")" + orgno + "\"}");
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("id");
  const std::string secret = created.json->getValue<std::string>("secret");
  evidence::RecordSecret(secret);

  // Nobody listens: the deliveries fail and are retried.
  std::set<std::string> clients;
  for (int i = 0; i < 3; ++i) clients.insert(NewClient(orgno, "Ventende " + std::to_string(i)));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto log = Op("GET", "/v1/webhooks/" + id + "/deliveries?limit=100");
        return log.json && log.json->getArray("items")->size() >= 3;
      },
      20s));
  auto log = Op("GET", "/v1/webhooks/" + id + "/deliveries?limit=100");
  EXPECT_NE(log.body.find("\"status\":null"), std::string::npos) << log.body;

  // Up, but failing twice with 500 before it answers: the retries keep their webhook-id.
  Receiver receiver(port, secret, "fail:2");
  std::set<std::string> delivered;
  ASSERT_TRUE(WaitFor(
      [&] {
        delivered.clear();
        for (const auto& line : Received(port))
          if (line->getValue<int>("status") == 204)
            delivered.insert(line->getValue<std::string>("client_id"));
        return delivered == clients;
      },
      30s));
  std::map<std::string, int> attempts_per_id;
  for (const auto& line : Received(port)) {
    EXPECT_TRUE(line->getValue<bool>("verified"));
    ++attempts_per_id[line->getValue<std::string>("webhook_id")];
  }
  EXPECT_EQ(attempts_per_id.size(), 3u);  // three events, whatever the number of attempts
  int retried = 0;
  for (const auto& [wid, n] : attempts_per_id) retried += n > 1 ? 1 : 0;
  EXPECT_GE(retried, 1);
  auto sub = Op("GET", "/v1/webhooks/" + id);
  EXPECT_EQ(sub.json->getValue<std::string>("state"), "active");
  EXPECT_TRUE(sub.json->isNull("failing_since")) << sub.body;
}

TEST_F(Notifications, A410DisablesTheSubscriptionAndTellsItsOwner) {
  const std::string orgno = NewOrg("Borteetaten");
  AddOrgContact(orgno, "eier@borte.example.no", R"(,"kinds":["webhook"])");
  const int port = FreshReceiverPort();
  auto created = SubscribeToClientCreated(orgno, port);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("id");
  Receiver receiver(port, created.json->getValue<std::string>("secret"), "gone");
  NewClient(orgno, "Forsvunnet");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Op("GET", "/v1/webhooks/" + id).body.find("\"disabled\"") != std::string::npos;
      },
      20s));
  ASSERT_TRUE(WaitFor([&] { return !rig().Mails("eier@borte.example.no").empty(); }, 20s));
  EXPECT_NE(rig().Mails("eier@borte.example.no")[0].text.find("410"), std::string::npos);
  auto audit = Op("GET", "/v1/audit/events?organisation=" + orgno);
  EXPECT_NE(audit.body.find("webhook.disable"), std::string::npos);
  // Enabled again by its owner.
  auto enabled = Portal(orgno, "PATCH", "/v1/webhooks/" + id, R"({"active":true})");
  EXPECT_EQ(enabled.status, 200) << enabled.Describe();
}

// The newest state of each event's delivery in a subscription's log.
std::map<std::string, std::string> DeliveryStates(const HttpResponse& log) {
  std::map<std::string, std::string> out;
  if (!log.json) return out;
  auto items = log.json->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(i);
    out.emplace(item->getValue<std::string>("event_id"),
                item->getValue<std::string>("delivery_state"));  // newest first: first wins
  }
  return out;
}

// A receiver that keeps failing: each delivery is retried with the same webhook-id and
// growing gaps for 24 h and then given up; once the subscription's failures have lasted 3
// days it is disabled and its owner told. Time moves through the shared test clock, which
// the APIs and the couriers all go by.
TEST_F(Notifications, DeliveriesGiveUpAfter24HoursAndThreeDaysOfFailuresDisableTheSubscription) {
  ClockBackToNow clock_back;
  const std::string orgno = NewOrg("Tredagersetaten");
  const std::string owner = "eier@tredager.example.no";
  AddOrgContact(orgno, owner, R"(,"kinds":["webhook"],"language":"en")");
  const int port = FreshReceiverPort();
  auto created = SubscribeToClientCreated(orgno, port);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.json->getValue<std::string>("id");
  const std::string secret = created.json->getValue<std::string>("secret");
  evidence::RecordSecret(secret);
  Receiver receiver(port, secret, "fail:1000000");
  const std::string log_path = "/v1/webhooks/" + id + "/deliveries?limit=200";

  NewClient(orgno, "Første feilende");
  ASSERT_TRUE(WaitFor([&] { return Received(port).size() >= 4; }, 20s));
  std::string first_event;
  {
    const auto got = Received(port);
    std::set<std::string> ids;
    for (const auto& line : got) {
      EXPECT_TRUE(line->getValue<bool>("verified"));
      ids.insert(line->getValue<std::string>("webhook_id"));
    }
    EXPECT_EQ(ids.size(), 1u) << "every retry carries the event's webhook-id";
    first_event = *ids.begin();
    // Exponential backoff with jitter (base 200 ms, cap 1000 ms here): the n-th retry waits
    // at least half of 200 * 2^(n-1) ms, so the first three retries take at least 700 ms,
    // where retries without backoff would come every poll interval.
    const int64_t three_retries =
        got[3]->getValue<int64_t>("at_ms") - got[0]->getValue<int64_t>("at_ms");
    EXPECT_GE(three_retries, 700);
    std::cerr << "figure: retry gaps (ms):";
    for (std::size_t i = 1; i < got.size(); ++i)
      std::cerr << " "
                << got[i]->getValue<int64_t>("at_ms") - got[i - 1]->getValue<int64_t>("at_ms");
    std::cerr << "\n";
    for (std::size_t i = 1; i < got.size(); ++i)
      EXPECT_LT(got[i]->getValue<int64_t>("at_ms") - got[i - 1]->getValue<int64_t>("at_ms"), 4000)
          << "the backoff is capped at webhooks.retry_max_ms";
  }
  auto sub = Op("GET", "/v1/webhooks/" + id);
  EXPECT_EQ(sub.json->getValue<std::string>("state"), "active");
  EXPECT_FALSE(sub.json->isNull("failing_since")) << sub.body;
  {
    // Still being retried: waiting for its next attempt, or claimed for one right now.
    const std::string state = DeliveryStates(Op("GET", log_path))[first_event];
    EXPECT_TRUE(state == "pending" || state == "sending") << state;
  }

  // 25 hours later the first delivery's 24 hours are over: given up, the subscription stays.
  SetClock(25 * 3600);
  ASSERT_TRUE(
      WaitFor([&] { return DeliveryStates(Op("GET", log_path))[first_event] == "failed"; }, 20s))
      << Op("GET", log_path).body;
  sub = Op("GET", "/v1/webhooks/" + id);
  EXPECT_EQ(sub.json->getValue<std::string>("state"), "active") << sub.body;
  std::this_thread::sleep_for(500ms);  // every dispatcher has loaded the moved clock
  const std::size_t before_second = Received(port).size();
  NewClient(orgno, "Andre feilende");
  ASSERT_TRUE(WaitFor([&] { return Received(port).size() >= before_second + 2; }, 20s));
  std::string second_event;
  for (const auto& [event, state] : DeliveryStates(Op("GET", log_path)))
    if (event != first_event) second_event = event;
  ASSERT_FALSE(second_event.empty());
  {
    const std::string state = DeliveryStates(Op("GET", log_path))[second_event];
    EXPECT_TRUE(state == "pending" || state == "sending") << state;
  }
  EXPECT_EQ(Op("GET", "/v1/webhooks/" + id).json->getValue<std::string>("state"), "active");
  EXPECT_TRUE(rig().Mails(owner).empty());

  // Three days and an hour after the first failure: disabled, and the owner is told once.
  SetClock(73 * 3600);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Op("GET", "/v1/webhooks/" + id).json->getValue<std::string>("state") == "disabled";
      },
      20s));
  sub = Op("GET", "/v1/webhooks/" + id);
  EXPECT_EQ(sub.json->getValue<std::string>("disabled_reason"), "failing") << sub.body;
  {
    const std::string state = DeliveryStates(Op("GET", log_path))[second_event];
    EXPECT_TRUE(state == "failed" || state == "cancelled") << state;
  }
  ASSERT_TRUE(WaitFor([&] { return !rig().Mails(owner).empty(); }, 20s));
  std::this_thread::sleep_for(1s);
  const auto mails = rig().Mails(owner);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].text.find(id), std::string::npos) << mails[0].text;
  auto audit = Op("GET", "/v1/audit/events?organisation=" + orgno);
  EXPECT_NE(audit.body.find("webhook.disable"), std::string::npos);
  // A disabled subscription gets nothing more.
  const std::size_t at_disable = Received(port).size();
  NewClient(orgno, "Tredje");
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(Received(port).size(), at_disable);
}

TEST_F(Notifications, PrivateAndPlainHttpTargetsAreRefusedInTheProductionConfiguration) {
  auto strict = rig().ExtraApi();  // no webhooks.* settings: the production defaults
  HttpClient http(strict->port());
  const Headers auth = Bearer(rig().operator_token().secret);
  const auto post = [&](const std::string& url) {
    return http.Request("POST", "/v1/webhooks", auth,
                        R"({"url":")" + url + R"(","events":["client.created"]})");
  };
  auto r = post("http://hooks.example.no/x");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(HasFieldError(r, "url", "webhook_https_required")) << r.body;
  for (const char* url : {"https://127.0.0.1:8443/", "https://localhost/", "https://10.0.0.7/",
                          "https://169.254.169.254/latest/meta-data", "https://[::1]/"}) {
    r = post(url);
    EXPECT_EQ(r.status, 400) << url;
    EXPECT_TRUE(HasFieldError(r, "url", "webhook_target_not_allowed")) << url << r.body;
  }
  r = post("https://user:pw@hooks.example.no/");
  EXPECT_TRUE(HasFieldError(r, "url", "webhook_url_invalid")) << r.body;
}

// ---- reminders and critical events -----------------------------------------------------

// Every (credential, threshold) once, with two API instances and two couriers on one
// database, counted at aiosmtpd and the dev SMS provider; after downtime only the most
// urgent due threshold; none after a rotation or a revocation.
TEST_F(Notifications, ExpiryRemindersGoOutOncePerThresholdAcrossInstances) {
  const std::string orgno = NewOrg("Utløpsetaten");
  const std::string client_id = NewClient(orgno, "Utløpsklient");
  const std::string rotated_client = NewClient(orgno, "Rullert klient");
  const std::string revoked_client = NewClient(orgno, "Tilbakekalt klient");
  const std::string mobile = rig().NewMobile();
  const std::string email = "varsel@utlop.example.no";
  AddClientContact(client_id, email,
                   R"(,"mobile":")" + mobile + R"(","kinds":["expiry"],"language":"nb")");
  const std::string org_email = "org@utlop.example.no";
  AddOrgContact(orgno, org_email, R"(,"kinds":["expiry"],"language":"en")");

  auto secret = Op("POST", "/v1/clients/" + client_id + "/secret");
  ASSERT_EQ(secret.status, 201) << secret.Describe();
  const std::string prefix = secret.json->optValue<std::string>("prefix", "");
  // A rotated secret: the old one gets no reminder once superseded.
  ASSERT_EQ(Op("POST", "/v1/clients/" + rotated_client + "/secret").status, 201);
  // A revoked secret gets none.
  auto doomed = Op("POST", "/v1/clients/" + revoked_client + "/secret");
  ASSERT_EQ(doomed.status, 201);
  ASSERT_EQ(Op("DELETE", "/v1/clients/" + revoked_client + "/secrets/" +
                             doomed.json->getValue<std::string>("secret_id"))
                    .status /
                100,
            2);

  extra_api_ = rig().ExtraApi(NotifyEnv());
  extra_http_ = std::make_unique<HttpClient>(extra_api_->port());
  extra_courier_ = rig().ExtraCourier("courier-notify-2", NotifyEnv());

  // Secrets live 360 days here: move to 59 days before expiry (the 60-day reminder).
  constexpr int64_t kDay = 86400;
  SetClock((360 - 59) * kDay);
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(email).size() >= 1; }, 20s));
  ASSERT_TRUE(WaitFor([&] { return rig().Messages(mobile).size() >= 1; }, 20s));
  // The rotation happens now, before the next threshold: from here on only the new secret
  // of rotated_client is valid, and it expires later.
  ASSERT_EQ(Op("POST", "/v1/clients/" + rotated_client + "/secret").status, 201);
  std::this_thread::sleep_for(1500ms);  // several rounds on both instances
  EXPECT_EQ(rig().Mails(email).size(), 1u);
  EXPECT_EQ(rig().Messages(mobile).size(), 1u);
  const auto first = rig().Mails(email)[0];
  EXPECT_NE(first.subject.find(" 60 "), std::string::npos) << first.subject;
  EXPECT_NE(first.text.find("Utløpsklient"), std::string::npos) << first.text;
  EXPECT_NE(first.text.find(client_id), std::string::npos);
  EXPECT_NE(first.text.find("test"), std::string::npos);
  ASSERT_FALSE(prefix.empty()) << secret.body;
  EXPECT_NE(first.text.find(prefix), std::string::npos) << "the text names the id prefix";
  EXPECT_EQ(first.text.find(secret.json->getValue<std::string>("client_secret")),
            std::string::npos);
  // The client has its own contact: the organisation's is not told about this client.
  for (const auto& m : rig().Mails(org_email))
    EXPECT_EQ(m.text.find("Utløpsklient"), std::string::npos) << m.text;

  // 29 days left: the 30-day reminder, once.
  SetClock((360 - 29) * kDay);
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(email).size() >= 2; }, 20s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(rig().Mails(email).size(), 2u);
  EXPECT_EQ(rig().Messages(mobile).size(), 2u);

  // Down from 29 to 6 days left: only the 7-day reminder, not the missed 14-day one.
  SetClock((360 - 6) * kDay);
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(email).size() >= 3; }, 20s));
  std::this_thread::sleep_for(1500ms);
  const auto mails = rig().Mails(email);
  EXPECT_EQ(mails.size(), 3u);
  EXPECT_EQ(rig().Messages(mobile).size(), 3u);
  // The Maildir does not keep the order: look at the subjects as a set.
  int sevens = 0;
  for (const auto& m : mails) {
    EXPECT_EQ(m.subject.find("14"), std::string::npos) << m.subject;
    sevens += m.subject.find(" 7 ") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(sevens, 1);

  // Neither the revoked secret nor the superseded one got a reminder; the rotated client's
  // reminders (organisation contacts, since it has none of its own) name only its new one.
  {
    auto conn = rig().db().Connect();
    const std::string doomed_id = doomed.json->getValue<std::string>("secret_id");
    auto r = conn->ExecSimple(
        "SELECT count(*) FROM expiry_reminders r JOIN client_secrets s ON s.secret_id = "
        "r.credential_id WHERE r.credential_id = '" +
        doomed_id + "' OR (s.client_id = '" + rotated_client +
        "' AND s.superseded_at IS NOT NULL AND "
        "r.threshold_days < 60)");
    EXPECT_EQ(r.Str(0, 0), "0");
  }

  // The day's digest to the operator team lists what expires within 30 days.
  ASSERT_TRUE(WaitFor([&] { return !rig().Mails("operators@digdir.example.no").empty(); }, 20s));
  SetClock(0);
  // The second API instance and the second courier keep running: the critical-event and
  // catalogue tests after this one run on two of each too.
}

// ---- the journey steps the critical-event and event-type tests drive ----------------

class Journey {
 public:
  using Call = std::function<HttpResponse(const std::string&, const std::string&,
                                          const std::optional<std::string>&)>;
  Journey(Call op, Call portal) : op_(std::move(op)), portal_(std::move(portal)) {}

  std::string Client(const std::string& orgno, const std::string& name) {
    const auto r = op_("POST", "/v1/clients", Json(journey::OrderableClientBody(orgno, name)));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : "";
  }
  void PassVerification(const std::string& client_id, const std::string& tested_at) {
    const auto r = op_("POST", "/v1/clients/" + client_id + "/verification-runs",
                       Json(journey::PassedRunBody(tested_at)));
    EXPECT_EQ(r.status, 201) << r.Describe();
  }
  /// An onboarding case of `orgno` with complete planning, `clients` linked, terms accepted.
  std::string Case(const std::string& orgno, const std::vector<std::string>& clients) {
    if (op_("GET", "/v1/terms/2024-01", std::nullopt).status != 200) {
      const auto t =
          op_("POST", "/v1/terms", Json(journey::TermsBody(journey::kTermsVersion, "First")));
      EXPECT_EQ(t.status, 201) << t.Describe();
    }
    const journey::Contact contact{.email = "ola@" + orgno + ".example.no"};
    auto r = op_("POST", "/v1/onboardings",
                 Json(journey::OnboardingBody(orgno, "Tjeneste " + orgno, {}, contact)));
    EXPECT_EQ(r.status, 201) << r.Describe();
    const std::string id = r.json ? r.json->getValue<std::string>("id") : "";
    for (const auto& c : clients) {
      r = op_("POST", "/v1/onboardings/" + id + "/clients", R"({"client_id":")" + c + "\"}");
      EXPECT_EQ(r.status, 200) << r.Describe();
    }
    r = portal_("POST", "/v1/onboardings/" + id + "/terms-acceptance",
                R"({"terms_version":"2024-01"})");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return id;
  }
  /// A production order for `test_client` entered by the portal; its secret is delivered
  /// by SMS (`mobile`) and e-mail (`email`).
  std::string Order(const std::string& case_id, const std::string& test_client,
                    const std::string& mobile, const std::string& email) {
    const auto r = portal_(
        "POST", "/v1/onboardings/" + case_id + "/production-orders",
        Json(journey::ProductionOrderBody(test_client, journey::SmsZipDelivery(mobile, email))));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("id") : "";
  }

 private:
  Call op_, portal_;
};

// Secret issued, rotated, revoked; certificate and key bound and removed; client deactivated
// and reactivated; production order approved and rejected; the second-download alarm: each
// reaches the client's own contacts once (through the outbox, counted at aiosmtpd), and the
// organisation's contacts when the client has none of its own.
TEST_F(Notifications, EveryKindOfCriticalEventReachesTheClientsContactsOnce) {
  // Two dispatchers (API instances) and two couriers since the reminder test: still once.
  ASSERT_TRUE(extra_api_ && extra_courier_ && extra_courier_->running())
      << "runs after ExpiryRemindersGoOutOncePerThresholdAcrossInstances";
  const std::string orgno = NewOrg("Kritiskeetaten");
  const std::string own = "sikkerhet@kritisk.example.no";
  const std::string org_contact = "ledelse@kritisk.example.no";
  AddOrgContact(orgno, org_contact, R"(,"kinds":["critical"],"language":"en")");
  Journey journey([](auto m, auto p, auto b) { return Op(m, p, b); },
                  [orgno](auto m, auto p, auto b) { return Portal(orgno, m, p, b); });
  const std::string a = journey.Client(orgno, "Kritisk A");
  const std::string a2 = journey.Client(orgno, "Kritisk A2");
  const std::string k = journey.Client(orgno, "Kritisk K");
  for (const auto& c : {a, a2, k})
    AddClientContact(c, own, R"(,"kinds":["critical"],"language":"en")");
  const std::string tested_at =
      QueryScalar(rig().db().url(), "SELECT rfc3339(now() - interval '1 day')").value_or("");
  journey.PassVerification(a, tested_at);
  journey.PassVerification(a2, tested_at);
  const std::string case_id = journey.Case(orgno, {a, a2});

  // Orders: A's approved (its production client P gets a secret by SMS and e-mail), A2's
  // rejected.
  const std::string approved_order =
      journey.Order(case_id, a, rig().NewMobile(), "levering@kritisk.example.no");
  auto approved = Op("POST", "/v1/production-orders/" + approved_order + "/approve");
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  const std::string p = approved.json->getValue<std::string>("production_client_id");
  const std::string rejected_order =
      journey.Order(case_id, a2, rig().NewMobile(), "levering@kritisk.example.no");
  auto rejected = Op("POST", "/v1/production-orders/" + rejected_order + "/reject",
                     R"({"reason":"the redirect URIs are not the production ones"})");
  ASSERT_EQ(rejected.status, 200) << rejected.Describe();

  // A's secrets: issued, rotated, the new one revoked; then deactivated and reactivated.
  auto s1 = Op("POST", "/v1/clients/" + a + "/secret");
  ASSERT_EQ(s1.status, 201) << s1.Describe();
  auto s2 = Op("POST", "/v1/clients/" + a + "/secret");
  ASSERT_EQ(s2.status, 201) << s2.Describe();
  ASSERT_EQ(
      Op("DELETE", "/v1/clients/" + a + "/secrets/" + s2.json->getValue<std::string>("secret_id"))
              .status /
          100,
      2);
  ASSERT_EQ(Op("POST", "/v1/clients/" + a + "/deactivate").status, 200);
  ASSERT_EQ(Op("POST", "/v1/clients/" + a + "/reactivate").status, 200);

  // K's keys: a JWK registered, a certificate bound, the JWK removed, and the certificate
  // removed once K is deactivated (an active private_key_jwt client keeps its last key).
  const pki::Key key = pki::Key::Rsa(2048);
  auto jwk = Op("POST", "/v1/clients/" + k + "/jwks", key.PublicJwk("notify-key.1", "RS256"));
  ASSERT_EQ(jwk.status, 201) << jwk.Describe();
  pki::CertOptions seid;
  seid.serial_number = orgno;
  const pki::Cert cert = pki::Issue(TestRoot(), seid);
  Poco::JSON::Object bind;
  bind.set("certificate", cert.Pem());
  auto bound = Op("POST", "/v1/clients/" + k + "/certificates", Json(bind));
  ASSERT_EQ(bound.status, 201) << bound.Describe();
  ASSERT_EQ(Op("DELETE", "/v1/clients/" + k + "/certificates/notify-key.1").status, 204);
  ASSERT_EQ(Op("POST", "/v1/clients/" + k + "/deactivate").status, 200);
  auto removed = Op("DELETE", "/v1/clients/" + k + "/certificates/" + cert.Thumbprint());
  ASSERT_EQ(removed.status, 204) << removed.Describe();

  // P (no contacts of its own): a download-channel secret fetched twice raises the alarm.
  auto download = Op("POST", "/v1/clients/" + p + "/secret", R"({"channel":"download"})");
  ASSERT_EQ(download.status, 202) << download.Describe();
  const std::string delivery_id = download.json->getValue<std::string>("delivery_id");
  ASSERT_EQ(Portal(orgno, "GET", "/v1/deliveries/" + delivery_id + "/package").status, 200);
  ASSERT_EQ(Op("GET", "/v1/deliveries/" + delivery_id + "/package").status, 410);

  using Pair = std::pair<std::string, std::string>;  // (what, client name and environment)
  const std::multiset<Pair> expected_own = {
      {"Production order approved", "Kritisk A (test)"},
      {"Production order rejected", "Kritisk A2 (test)"},
      {"New client secret issued", "Kritisk A (test)"},
      {"Client secret rotated", "Kritisk A (test)"},
      {"Client secret revoked", "Kritisk A (test)"},
      {"Client deactivated", "Kritisk A (test)"},
      {"Client reactivated", "Kritisk A (test)"},
      {"Key registered for the client", "Kritisk K (test)"},
      {"Enterprise certificate bound to the client", "Kritisk K (test)"},
      {"Key removed from the client", "Kritisk K (test)"},
      {"Client deactivated", "Kritisk K (test)"},
      {"Enterprise certificate removed from the client", "Kritisk K (test)"}};
  const std::multiset<Pair> expected_org = {
      {"New client secret issued", "Kritisk A (production)"},
      {"Client secret rotated", "Kritisk A (production)"},
      {"ALARM: a second download of the package was attempted", "Kritisk A (production)"}};
  const auto pairs = [&](const std::string& to) {
    std::multiset<Pair> out;
    for (const auto& m : rig().Mails(to)) {
      const auto colon = m.subject.rfind(": ");
      std::string what = m.subject.substr(0, colon);
      if (what.rfind("Client secret rotated", 0) == 0) what = "Client secret rotated";
      out.insert({what, m.subject.substr(colon + 2)});
    }
    return out;
  };
  const auto describe = [](const std::multiset<Pair>& got) {
    std::string t;
    for (const auto& [w, c] : got) t += "\n  " + w + " | " + c;
    return t;
  };
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(own).size() >= expected_own.size(); }, 40s))
      << describe(pairs(own));
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(org_contact).size() >= expected_org.size(); }, 40s))
      << describe(pairs(org_contact));
  std::this_thread::sleep_for(2s);  // several dispatcher and courier rounds: nothing twice
  EXPECT_EQ(pairs(own), expected_own) << describe(pairs(own));
  EXPECT_EQ(pairs(org_contact), expected_org) << describe(pairs(org_contact));
  for (const auto& m : rig().Mails(own)) {
    EXPECT_EQ(m.text.find(s1.json->getValue<std::string>("client_secret")), std::string::npos);
    EXPECT_NE(m.text.find("client_id"), std::string::npos) << m.text;
  }
}

// Every event type the catalogue lists arrives, signed, at the operator's catch-all
// subscription (made before the first test): the earlier tests of this suite produce most of
// them (contacts, webhooks, the whole journey of the critical-event test, reminders of
// secrets); this one drives the rest. Runs last (gtest keeps the order of definition).
TEST_F(Notifications, ZEveryCataloguedEventTypeArrivesSignedAndWithoutSecrets) {
  ClockBackToNow clock_back;
  const std::string orgno = NewOrg("Katalogetaten");
  const std::string expiry_contact = "utlop@katalog.example.no";
  AddOrgContact(orgno, expiry_contact, R"(,"kinds":["expiry"],"language":"en")");
  Journey journey([](auto m, auto p, auto b) { return Op(m, p, b); },
                  [orgno](auto m, auto p, auto b) { return Portal(orgno, m, p, b); });
  const Headers merge = {{"Content-Type", "application/merge-patch+json"}};
  auto r = Op("PATCH", "/v1/organisations/" + orgno, R"({"name":"Katalogetaten AS"})", merge);
  EXPECT_EQ(r.status, 200) << r.Describe();

  // Onboarding changed; an order entered as a draft, submitted, cancelled.
  const std::string c = journey.Client(orgno, "Katalogklient");
  journey.PassVerification(
      c, QueryScalar(rig().db().url(), "SELECT rfc3339(now() - interval '1 day')").value_or(""));
  const std::string case_id = journey.Case(orgno, {c});
  r = Op("PATCH", "/v1/onboardings/" + case_id, R"({"service_name":"Katalogtjenesten"})", merge);
  EXPECT_EQ(r.status, 200) << r.Describe();
  {
    Poco::JSON::Object order = journey::ProductionOrderBody(
        c, journey::SmsZipDelivery("+4791234567", "ola@katalog.example.no"));
    order.set("submit", false);
    r = Portal(orgno, "POST", "/v1/onboardings/" + case_id + "/production-orders", Json(order));
    ASSERT_EQ(r.status, 201) << r.Describe();
    const std::string order_id = r.json->getValue<std::string>("id");
    r = Portal(orgno, "POST", "/v1/production-orders/" + order_id + "/submit");
    EXPECT_EQ(r.status, 200) << r.Describe();
    r = Portal(orgno, "POST", "/v1/production-orders/" + order_id + "/cancel",
               R"({"reason":"planned again"})");
    EXPECT_EQ(r.status, 200) << r.Describe();
  }
  // Test users, an API token, a new verification catalogue version.
  r = Op("POST", "/v1/organisations/" + orgno + "/test-users", R"({"count":1})");
  ASSERT_EQ(r.status / 100, 2) << r.Describe();
  const std::string pid = r.json->getArray("items")->getObject(0)->getValue<std::string>("pid");
  EXPECT_EQ(Op("DELETE", "/v1/organisations/" + orgno + "/test-users/" + pid).status, 200);
  r = Op("POST", "/v1/tokens", R"({"name":"katalog-token","role":"auditor"})");
  ASSERT_EQ(r.status, 201) << r.Describe();
  const std::string api_token = r.json->getValue<std::string>("token");
  evidence::RecordSecret(api_token);
  EXPECT_EQ(Op("DELETE", "/v1/tokens/" + r.json->getValue<std::string>("id")).status, 200);
  {
    auto catalogue = Op("GET", "/v1/verification-catalogue");
    ASSERT_EQ(catalogue.status, 200) << catalogue.Describe();
    Poco::JSON::Array::Ptr current = catalogue.json->getArray("cases");
    Poco::JSON::Array::Ptr cases = new Poco::JSON::Array();
    for (std::size_t i = 0; i < current->size(); ++i) {
      auto c = current->getObject(static_cast<unsigned>(i));
      Poco::JSON::Object copy;
      for (const char* member : {"id", "name", "title", "description", "mandatory", "feature"})
        copy.set(member, c->get(member));
      cases->add(copy);
    }
    Poco::JSON::Object::Ptr extra = new Poco::JSON::Object();
    extra->set("id", 12);
    extra->set("name", "reacts_to_webhooks");
    extra->set("title", "Varsler fra tjenesten");
    extra->set("description", "The service reacts to onboard's webhooks.");
    extra->set("mandatory", false);
    extra->set("feature", Poco::Dynamic::Var());
    cases->add(extra);
    Poco::JSON::Object next;
    next.set("cases", cases);
    r = Op("POST", "/v1/verification-catalogue", Json(next),
           {{"If-Match", "\"" + std::to_string(catalogue.json->getValue<int>("version")) + "\""}});
    EXPECT_EQ(r.status, 201) << r.Describe();
  }
  // A webhook made and deleted; a test event to the catch-all itself.
  r = Op("POST", "/v1/webhooks",
         R"({"url":"http://127.0.0.1:9/short-lived","events":["client.created"],"organisation":")" +
             orgno + "\"}");
  ASSERT_EQ(r.status, 201) << r.Describe();
  evidence::RecordSecret(r.json->getValue<std::string>("secret"));
  EXPECT_EQ(Op("DELETE", "/v1/webhooks/" + r.json->getValue<std::string>("id")).status, 204);
  EXPECT_EQ(Op("POST", "/v1/webhooks/" + catch_all_id_ + "/test").status, 202);

  // Deliveries that go wrong: the SMS and the e-mail of an approved order refused for good,
  // its reissue accepted and then reported undelivered, a download package that expired and
  // is then asked for again.
  const std::string c2 = journey.Client(orgno, "Katalogklient 2");
  journey.PassVerification(
      c2, QueryScalar(rig().db().url(), "SELECT rfc3339(now() - interval '1 day')").value_or(""));
  r = Op("POST", "/v1/onboardings/" + case_id + "/clients", R"({"client_id":")" + c2 + "\"}");
  EXPECT_EQ(r.status, 200) << r.Describe();
  // Its e-mail goes to a UTF-8 mailbox, which aiosmtpd (no SMTPUTF8) refuses for good.
  const std::string order2 =
      journey.Order(case_id, c2, rig().NewMobile(), "l\u00f8vering@katalog.example.no");
  rig().SetFaults(R"({"faults": [{"kind": "reject", "status": 400, "code": 21610}]})");
  r = Op("POST", "/v1/production-orders/" + order2 + "/approve");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const std::string production = r.json->getValue<std::string>("production_client_id");
  const std::string refused = r.Header("X-Onboard-Delivery-Id");
  ASSERT_TRUE(rig().WaitForSmsStates({refused}, "failed", 30s)) << rig().SmsState(refused);
  rig().SetFaults(R"({"faults": [], "final_status": "undelivered"})");
  r = Op("POST", "/v1/deliveries/" + refused + "/reissue");
  ASSERT_EQ(r.status, 202) << r.Describe();
  const std::string reissued = r.json->getValue<std::string>("delivery_id");
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string state = rig().SmsState(reissued);
        return state == "failed" || state == "undelivered";
      },
      30s))
      << rig().SmsState(reissued);
  rig().SetFaults(R"({"faults": []})");  // delivered again from here on
  // The download's SMS (its password) is delivered, but the provider refuses to redact it.
  rig().SetFaults(R"({"faults": [], "refuse_redactions": true})");
  r = Op("POST", "/v1/clients/" + production + "/secret", R"({"channel":"download"})");
  ASSERT_EQ(r.status, 202) << r.Describe();
  const std::string download = r.json->getValue<std::string>("delivery_id");
  EXPECT_TRUE(WaitFor(
      [&] {
        return QueryInt(rig().db().url(),
                        "SELECT count(*) FROM audit_events WHERE action = "
                        "'delivery.sms_redact_failed' AND target_id = '" +
                            download + "'") > 0;
      },
      30s));
  rig().SetFaults(R"({"faults": []})");
  ExecSql(rig().db().url(),
          "UPDATE deliveries SET package_expires_at = now() - interval '1 minute' WHERE id = '" +
              download + "'");
  EXPECT_EQ(Op("GET", "/v1/deliveries/" + download + "/package").status, 410);
  EXPECT_EQ(Op("GET", "/v1/deliveries/" + download + "/package").status, 410);

  // A key and a certificate that expire: their reminders are events too. The JWK lives a
  // year; the certificate a year and half a day. 306 days on, both are within 60 days.
  const std::string k = journey.Client(orgno, "Utlopende nokler");
  const pki::Key key = pki::Key::Rsa(2048);
  r = Op("POST", "/v1/clients/" + k + "/jwks", key.PublicJwk("katalog-key.1", "RS256"));
  ASSERT_EQ(r.status, 201) << r.Describe();
  pki::CertOptions seid;
  seid.serial_number = orgno;
  seid.not_after_offset_s = 365LL * 86400 + 43200;
  Poco::JSON::Object bind;
  bind.set("certificate", pki::Issue(TestRoot(), seid).Pem());
  r = Op("POST", "/v1/clients/" + k + "/certificates", Json(bind));
  ASSERT_EQ(r.status, 201) << r.Describe();
  std::this_thread::sleep_for(1s);
  SetClock(306LL * 86400);

  const auto types_received = [&] {
    std::set<std::string> types;
    for (const auto& line : WebhookReceiver::ReceivedAt(catch_all_port_))
      if (line->getValue<bool>("verified")) types.insert(line->getValue<std::string>("type"));
    return types;
  };
  // Types this rig cannot produce on purpose, each proven at a real receiver elsewhere:
  // sms/email_cancelled need a claimed row whose delivery is revoked before it is sent
  // (e2e.DeliveryRevocation holds the courier's first send at the provider for that);
  // sms_status is a report that overtakes the courier's own record of its send
  // (e2e.SmsCallbacks.AReportThatOvertakesTheCourierIsADeliverySmsStatusEvent).
  const std::set<std::string> not_driven = {"delivery.sms_cancelled", "delivery.email_cancelled",
                                            "delivery.sms_status"};
  auto catalogue = Op("GET", "/v1/webhooks/event-types");
  ASSERT_EQ(catalogue.status, 200) << catalogue.Describe();
  std::set<std::string> expected;
  auto items = catalogue.json->getArray("items");
  ASSERT_TRUE(items) << catalogue.body;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string t = items->getElement<std::string>(static_cast<unsigned>(i));
    if (!not_driven.count(t)) expected.insert(t);
  }
  for (const auto& t : not_driven)
    EXPECT_NE(catalogue.body.find("\"" + t + "\""), std::string::npos) << t;
  std::set<std::string> missing;
  EXPECT_TRUE(WaitFor(
      [&] {
        const auto got = types_received();
        missing.clear();
        std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                            std::inserter(missing, missing.end()));
        return missing.empty();
      },
      60s))
      << [&] {
           std::string t = "never arrived:";
           for (const auto& x : missing) t += " " + x;
           return t;
         }();

  // The key's and the certificate's 60-day reminders reached the organisation's contact (the
  // client has none of its own), once each, counted at aiosmtpd.
  const auto reminders = [&](const std::string& kind) {
    int n = 0;
    for (const auto& m : rig().Mails(expiry_contact))
      n += m.subject == "Expires in 60 days: " + kind + " of Utlopende nokler (test)" ? 1 : 0;
    return n;
  };
  EXPECT_TRUE(WaitFor(
      [&] { return reminders("key") >= 1 && reminders("enterprise certificate") >= 1; }, 30s))
      << [&] {
           std::string t;
           for (const auto& m : rig().Mails(expiry_contact)) t += "\n  " + m.subject;
           return t;
         }();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(reminders("key"), 1);
  EXPECT_EQ(reminders("enterprise certificate"), 1);

  // Every delivery verified; none carries a secret, password or token.
  for (const auto& line : WebhookReceiver::ReceivedAt(catch_all_port_)) {
    EXPECT_TRUE(line->getValue<bool>("verified")) << line->optValue<std::string>("error", "");
    EXPECT_EQ(line->getValue<std::string>("webhook_id"), line->getValue<std::string>("id"));
    const std::string body = line->getValue<std::string>("body");
    for (const std::string& secret : {api_token, catch_all_secret_.substr(6)})
      EXPECT_EQ(body.find(secret), std::string::npos) << body;
    for (const char* member : {"client_secret\"", "password\"", "\"token\"", "secret_hash",
                               "package_base64", "zip_password", "registration_access_token"})
      EXPECT_EQ(body.find(member), std::string::npos) << member << " in " << body;
  }
}

}  // namespace
}  // namespace onboard::testsupport
