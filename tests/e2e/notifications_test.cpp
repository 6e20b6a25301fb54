// Notifications and webhooks end to end (issue #18): the real onboard-api (two instances),
// onboard-courier (two), onboard-dev-sms, aiosmtpd and a webhook receiver in Node.js that
// verifies every delivery with the Standard Webhooks reference library (npm
// `standardwebhooks`, pinned in ops/node). A missing peer fails the suite.

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "client_fixtures.hpp"
#include "delivery_rig.hpp"
#include "evidence.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {
namespace {

using namespace std::chrono_literals;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v == nullptr ? fallback : std::string(v);
}

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

// The settings every onboard-api and onboard-courier of this suite runs with.
std::map<std::string, std::string> NotifyEnv() {
  return {{"ONBOARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"},
          {"ONBOARD_WEBHOOKS_ALLOW_HTTP", "true"},
          {"ONBOARD_WEBHOOKS_RETRY_BASE_MS", "200"},
          {"ONBOARD_WEBHOOKS_RETRY_MAX_MS", "1000"},
          {"ONBOARD_WEBHOOKS_TIMEOUT_MS", "2000"},
          {"ONBOARD_NOTIFY_DISPATCH_INTERVAL_MS", "100"},
          {"ONBOARD_NOTIFY_SCHEDULER_INTERVAL_MS", "200"},
          {"ONBOARD_NOTIFY_OPERATOR_EMAIL", "operators@digdir.example.no"},
          {"ONBOARD_NOTIFY_DIGEST_HOUR_UTC", "0"},
          {"ONBOARD_TESTING_CLOCK_CONTROL", "true"}};
}

/// The Node.js receiver: one JSON line per request it got, verified or not.
class Receiver {
 public:
  Receiver(int port, const std::string& secret, const std::string& mode = "ok") {
    const auto node = FindOnPath("node");
    if (!node) throw std::runtime_error("node is not on PATH (apt-get install nodejs)");
    const std::string modules = EnvOr("ONBOARD_NODE_MODULES", "");
    if (modules.empty() || !std::ifstream(modules + "/standardwebhooks/package.json").good())
      throw std::runtime_error("standardwebhooks is not installed in '" + modules +
                               "' (ops/install-deps installs ops/node into var/node)");
    const std::string script = EnvOr("ONBOARD_SOURCE_DIR", ".") + "/tests/e2e/webhooks/receiver.js";
    process_ = std::make_unique<ChildProcess>(
        "webhook-receiver",
        std::vector<std::string>{*node, script, std::to_string(port), secret, LogPath(port), mode},
        std::map<std::string, std::string>{{"NODE_PATH", modules}});
    if (!WaitFor([&] { return process_->log().find("receiver listening") != std::string::npos; },
                 10s))
      throw std::runtime_error("the receiver did not start: " + process_->log());
  }
  ~Receiver() { process_->Terminate(); }

  static std::string LogPath(int port) {
    return "/tmp/onboard-webhook-receiver-" + std::to_string(port) + ".jsonl";
  }

 private:
  std::unique_ptr<ChildProcess> process_;
};

std::vector<Poco::JSON::Object::Ptr> Received(int port) {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::ifstream in(Receiver::LogPath(port));
  std::string line;
  Poco::JSON::Parser parser;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
    parser.reset();
  }
  return out;
}

class Notifications : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
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
  static void SetClock(int64_t offset_s) {
    for (HttpClient* http : {&rig().http(), extra_http_.get()}) {
      if (http == nullptr) continue;
      const auto r =
          http->Request("PUT", "/v1/testing/clock", Bearer(rig().operator_token().secret),
                        R"({"offset_s":)" + std::to_string(offset_s) + "}");
      ASSERT_EQ(r.status, 200) << r.Describe();
    }
  }

  static inline std::unique_ptr<DeliveryRig> rig_;
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
  AddContact("/v1/clients/" + client_id + "/notification-contacts", "klient@kontakt.example.no");
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
  const int port = FreeLoopbackPort();
  std::remove(Receiver::LogPath(port).c_str());
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
  AddContact("/v1/organisations/" + orgno + "/notification-contacts", "drift@hook.example.no");
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
  const int port = FreeLoopbackPort();
  std::remove(Receiver::LogPath(port).c_str());
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
  AddContact("/v1/organisations/" + orgno + "/notification-contacts", "eier@borte.example.no",
             R"(,"kinds":["webhook"])");
  const int port = FreeLoopbackPort();
  std::remove(Receiver::LogPath(port).c_str());
  auto created = Portal(
      orgno, "POST", "/v1/webhooks",
      R"({"url":"http://127.0.0.1:)" + std::to_string(port) + R"(/","events":["client.created"]})");
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
  AddContact("/v1/clients/" + client_id + "/notification-contacts", email,
             R"(,"mobile":")" + mobile + R"(","kinds":["expiry"],"language":"nb")");
  const std::string org_email = "org@utlop.example.no";
  AddContact("/v1/organisations/" + orgno + "/notification-contacts", org_email,
             R"(,"kinds":["expiry"],"language":"en")");

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
  (void)prefix;
  SetClock(0);
  extra_courier_->Terminate();
  extra_courier_.reset();
}

TEST_F(Notifications, CriticalEventsReachTheClientsContactsOnce) {
  const std::string orgno = NewOrg("Kritiskeetaten");
  const std::string client_id = NewClient(orgno, "Kritisk klient");
  const std::string email = "sikkerhet@kritisk.example.no";
  AddContact("/v1/clients/" + client_id + "/notification-contacts", email,
             R"(,"kinds":["critical"],"language":"en")");
  ASSERT_EQ(Op("POST", "/v1/clients/" + client_id + "/deactivate").status, 200);
  ASSERT_TRUE(WaitFor([&] { return rig().Mails(email).size() >= 1; }, 20s));
  std::this_thread::sleep_for(1500ms);
  const auto mails = rig().Mails(email);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].subject.find("Client deactivated"), std::string::npos) << mails[0].subject;
  EXPECT_NE(mails[0].text.find(client_id), std::string::npos);
}

}  // namespace
}  // namespace onboard::testsupport
