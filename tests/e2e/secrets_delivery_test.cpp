// Client secrets and their delivery over HTTP against the real onboard-api: rotation with
// grace, revocation, the production issuance (approval and POST .../secret), the one-time
// download opened with the real 7-Zip, expiry, reissue, and no secret or password in any
// log line or table.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client_fixtures.hpp"
#include "e2e_journey.hpp"
#include "e2e_shared_suite.hpp"
#include "client_secret.hpp"
#include "kek.hpp"
#include "secret_repository.hpp"
#include "sevenzip.hpp"
#include "test_support.hpp"
#include "verification_e2e.hpp"

namespace onboard::testsupport {
namespace {

using verification::ProblemCode;
using verification::Service;

constexpr const char* kPepper = "e2e-pepper-0123456789abcdef0123456789abcdef";

struct Shared {
  std::unique_ptr<Service> svc;
  TestToken operator_b;
  int next_org = 0;
  std::vector<std::string> secrets_seen;    // every secret and password a test handled,
  std::vector<std::string> passwords_seen;  // grepped for in logs and tables at the end
};

class SecretsDelivery : public verification::ServiceSuite<SecretsDelivery, Shared> {
 public:
  static std::unique_ptr<Shared> StartRig() {
    auto shared = std::make_unique<Shared>();
    // A sweep every second, so the sweep test need not wait a minute.
    shared->svc = std::make_unique<Service>(
        std::map<std::string, std::string>{{"ONBOARD_DELIVERY_SWEEP_INTERVAL_S", "1"}});
    shared->operator_b =
        CreateToken(shared->svc->db().url(), domain::Role::kOperator, "operator-b");
    return shared;
  }

 protected:
  static Headers OperatorB() { return Bearer(rig().operator_b.secret); }

  static std::string NewOrg() {
    const std::string orgno = ValidOrgno(rig().next_org++, 94000000);
    svc().CreateOrganisation(orgno);
    return orgno;
  }

  static std::string SecretTestClient(const std::string& orgno) {
    return svc().CreateSecretBasicTestClient(orgno);
  }

  struct Production {
    std::string orgno, order_id, client_id, delivery_id;
  };
  // The journey up to an approved sms_zip order, which issues the production secret.
  static Production ApprovedOrder() {
    Production p;
    p.orgno = NewOrg();
    const std::string test_client = SecretTestClient(p.orgno);
    const std::string case_id = svc().CreateCase(p.orgno, test_client, true);
    const HttpResponse run = svc().PostRun(p.orgno, test_client);
    EXPECT_EQ(run.status, 201) << run.Describe();
    const HttpResponse ordered =
        svc().Post("/v1/onboardings/" + case_id + "/production-orders",
                   journey::ProductionOrderBody(test_client), svc().Portal(p.orgno));
    EXPECT_EQ(ordered.status, 201) << ordered.Describe();
    p.order_id = ordered.json ? ordered.json->getValue<std::string>("id") : "";
    const HttpResponse approved =
        http().Request("POST", "/v1/production-orders/" + p.order_id + "/approve", OperatorB());
    EXPECT_EQ(approved.status, 200) << approved.Describe();
    p.client_id =
        approved.json ? approved.json->optValue<std::string>("production_client_id", "") : "";
    p.delivery_id = approved.Header("X-Onboard-Delivery-Id");
    return p;
  }

  // The operator issues a new secret of `p`'s client by download and its package's time is
  // made to run out a minute ago: the delivery's id ("" when the issuance was refused).
  static std::string ExpiredDownload(const Production& p) {
    Poco::JSON::Object body;
    body.set("channel", "download");
    const HttpResponse r =
        svc().Post("/v1/clients/" + p.client_id + "/secret", body, svc().Operator());
    EXPECT_EQ(r.status, 202) << r.Describe();
    if (r.status != 202) return "";
    const std::string id = r.json->getValue<std::string>("delivery_id");
    ExecSql(db().url(),
            "UPDATE deliveries SET package_expires_at = now() - interval '1 minute' WHERE id = '" +
                id + "'");
    return id;
  }

  // `n` secrets issued to a test client in a row by the operator (each answered 201 with
  // the secret, remembered for the final scan), oldest first.
  static void IssueTestSecrets(const std::string& client_id, int n,
                               std::vector<std::string>& issued) {
    for (int i = 0; i < n; ++i) {
      const HttpResponse r =
          http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Operator());
      ASSERT_EQ(r.status, 201) << r.Describe();
      issued.push_back(r.json->getValue<std::string>("client_secret"));
      rig().secrets_seen.push_back(issued.back());
    }
  }

  static int64_t Count(const std::string& from_where) {
    return QueryInt(db().url(), "SELECT count(*) FROM " + from_where);
  }

  // The courier's view of an outbox payload: opened with the test key ring.
  static Poco::JSON::Object::Ptr Payload(const std::string& delivery_id, const std::string& kind) {
    std::vector<std::string> problems;
    const crypto::KeyRing keys(crypto::ParseKeks(kTestKek, problems));
    const std::string where =
        " FROM outbox WHERE delivery_id = '" + delivery_id + "' AND kind = '" + kind + "'";
    const auto kek = QueryScalar(db().url(), "SELECT payload_kek_id" + where);
    const auto sealed = QueryScalar(db().url(), "SELECT payload" + where);
    if (!kek || !sealed) {
      ADD_FAILURE() << "no " << kind << " payload for delivery " << delivery_id;
      return new Poco::JSON::Object();
    }
    const crypto::SecretString json =
        keys.Open(*kek, db::ByteaValue(*sealed), crypto::OutboxAad(delivery_id, kind));
    Poco::JSON::Parser parser;
    return parser.parse(json.reveal()).extract<Poco::JSON::Object::Ptr>();
  }

  static std::string ZipPassword(const std::string& delivery_id) {
    const std::string body = Payload(delivery_id, "sms")->getValue<std::string>("body");
    const std::string password = body.substr(body.rfind(": ") + 2);
    EXPECT_EQ(password.size(), 29u) << body;
    rig().passwords_seen.push_back(password);
    return password;
  }

  static std::string SecretOf(const std::string& zip, const std::string& password) {
    const SevenZipResult opened = Extract7z(zip, password);
    EXPECT_EQ(opened.exit_code, 0) << opened.output;
    if (opened.exit_code != 0 || !opened.files.count("credentials.json")) return {};
    Poco::JSON::Parser parser;
    const std::string secret = parser.parse(opened.files.at("credentials.json"))
                                   .extract<Poco::JSON::Object::Ptr>()
                                   ->getValue<std::string>("client_secret");
    rig().secrets_seen.push_back(secret);
    return secret;
  }

  static bool Authenticates(const std::string& client_id, const std::string& secret) {
    // The validity contract the provider relies on, checked against every stored hash.
    const auto hash = domain::HashClientSecret(kPepper, secret);
    return QueryInt(db().url(),
                    "SELECT count(*) FROM client_secrets WHERE client_id = '" + client_id +
                        "' AND secret_hash = '" + hash +
                        "' AND state = 'active' AND revoked_at IS NULL AND expires_at > now()") ==
           1;
  }

  static std::vector<Poco::JSON::Object::Ptr> Secrets(const std::string& client_id,
                                                      const Headers& as) {
    const HttpResponse r = http().Get("/v1/clients/" + client_id + "/secrets", as);
    EXPECT_EQ(r.status, 200) << r.Describe();
    std::vector<Poco::JSON::Object::Ptr> out;
    if (!r.json) return out;
    auto items = r.json->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i)
      out.push_back(items->getObject(static_cast<unsigned>(i)));
    return out;
  }
};

TEST_F(SecretsDelivery, ATestClientGetsItsNewSecretOnceInTheResponse) {
  const std::string orgno = NewOrg();
  const std::string client_id = SecretTestClient(orgno);
  const HttpResponse r =
      http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Portal(orgno));
  ASSERT_EQ(r.status, 201) << r.Describe();
  const std::string secret = r.json->getValue<std::string>("client_secret");
  rig().secrets_seen.push_back(secret);
  EXPECT_EQ(secret.size(), 43u);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_TRUE(Authenticates(client_id, secret));
  // Never again: the listing has metadata only.
  const HttpResponse list =
      http().Get("/v1/clients/" + client_id + "/secrets", svc().Portal(orgno));
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(list.body.find("hash"), std::string::npos);
  const auto items = Secrets(client_id, svc().Operator());
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0]->getValue<std::string>("id"), r.json->getValue<std::string>("secret_id"));
  EXPECT_EQ(items[0]->getValue<std::string>("prefix"), secret.substr(0, 6));
  EXPECT_EQ(items[0]->getValue<std::string>("state"), "active");
  EXPECT_TRUE(items[0]->has("expires_at"));
  EXPECT_TRUE(items[0]->has("last_used_at"));
  // Another organisation sees nothing.
  EXPECT_EQ(
      http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Portal(NewOrg())).status,
      404);
}

TEST_F(SecretsDelivery, RotationKeepsThePreviousSecretsValidForTheGracePeriodAndAtMostFiveOfThem) {
  const std::string orgno = NewOrg();
  const std::string client_id = SecretTestClient(orgno);
  std::vector<std::string> issued;
  ASSERT_NO_FATAL_FAILURE(IssueTestSecrets(client_id, 7, issued));
  // The newest and the five before it authenticate; the oldest two do not.
  for (int i = 0; i < 7; ++i)
    EXPECT_EQ(Authenticates(client_id, issued[i]), i >= 1) << "secret " << i;
  EXPECT_EQ(QueryInt(db().url(), "SELECT count(*) FROM client_secrets WHERE client_id = '" +
                                     client_id + "' AND expires_at > now() + interval '8 days'"),
            1)
      << "only the newest secret keeps its full lifetime";
  EXPECT_EQ(QueryInt(db().url(),
                     "SELECT count(*) FROM client_secrets WHERE client_id = '" + client_id +
                         "' AND expires_at BETWEEN now() + interval '6 days 23 hours' AND now() + "
                         "interval '7 days 1 hour'"),
            5);
  std::multiset<std::string> states;
  for (const auto& s : Secrets(client_id, svc().Portal(orgno)))
    states.insert(s->getValue<std::string>("state"));
  EXPECT_EQ(states.count("active"), 1u);
  EXPECT_EQ(states.count("grace"), 5u);
  EXPECT_EQ(states.count("expired"), 1u) << "the oldest, beyond secrets.max_old";
  EXPECT_EQ(states.size(), 7u);
}

TEST_F(SecretsDelivery, RevokingASecretEndsItAtOnce) {
  const std::string orgno = NewOrg();
  const std::string client_id = SecretTestClient(orgno);
  const HttpResponse a =
      http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Operator());
  const HttpResponse b =
      http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Operator());
  ASSERT_EQ(b.status, 201) << b.Describe();
  const std::string old_secret = a.json->getValue<std::string>("client_secret");
  rig().secrets_seen.push_back(old_secret);
  ASSERT_TRUE(Authenticates(client_id, old_secret));  // in its grace period
  const std::string path =
      "/v1/clients/" + client_id + "/secrets/" + a.json->getValue<std::string>("secret_id");
  const HttpResponse del = http().Request("DELETE", path, svc().Portal(orgno));
  EXPECT_EQ(del.status, 204) << del.Describe();
  EXPECT_FALSE(Authenticates(client_id, old_secret));
  EXPECT_EQ(http().Request("DELETE", path, svc().Portal(orgno)).status, 404);
  EXPECT_EQ(Count("audit_events WHERE action = 'client.secret_revoke' AND target_id = '" +
                  client_id + "'"),
            1);
  for (const auto& s : Secrets(client_id, svc().Operator())) {
    if (s->getValue<std::string>("id") == a.json->getValue<std::string>("secret_id")) {
      EXPECT_EQ(s->getValue<std::string>("state"), "revoked");
    }
  }
}

TEST_F(SecretsDelivery, SwitchingToPrivateKeyJwtRevokesEverySecret) {
  const std::string orgno = NewOrg();
  const std::string client_id = SecretTestClient(orgno);
  std::vector<std::string> issued;
  ASSERT_NO_FATAL_FAILURE(IssueTestSecrets(client_id, 2, issued));
  ASSERT_TRUE(Authenticates(client_id, issued[0]));  // the previous one, in its grace period
  const HttpResponse patched =
      http().Request("PATCH", "/v1/clients/" + client_id, svc().Operator(),
                     std::string(R"({"token_endpoint_auth_method":"private_key_jwt"})"),
                     "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  for (const auto& s : issued) EXPECT_FALSE(Authenticates(client_id, s));
  for (const auto& s : Secrets(client_id, svc().Operator()))
    EXPECT_EQ(s->getValue<std::string>("state"), "revoked");
  // And no new one is issued for a client that does not use secrets.
  const HttpResponse refused =
      http().Request("POST", "/v1/clients/" + client_id + "/secret", svc().Operator());
  EXPECT_EQ(refused.status, 409) << refused.Describe();
  EXPECT_EQ(ProblemCode(refused), "no_secret_auth_method");
}

TEST_F(SecretsDelivery, SwitchingAProductionClientAwayFromSecretsStopsItsDeliveries) {
  const Production p = ApprovedOrder();
  ASSERT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id + "' AND state = 'pending'"), 2);
  const HttpResponse patched =
      http().Request("PATCH", "/v1/clients/" + p.client_id, svc().Operator(),
                     std::string(R"({"token_endpoint_auth_method":"private_key_jwt"})"),
                     "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(Count("client_secrets WHERE client_id = '" + p.client_id + "' AND state = 'active'"),
            0);
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id +
                  "' AND state = 'cancelled' AND payload IS NULL"),
            2);
  const HttpResponse d = http().Get("/v1/deliveries/" + p.delivery_id, svc().Operator());
  EXPECT_EQ(d.json->getValue<std::string>("state"), "revoked");
  EXPECT_EQ(d.json->getObject("steps")->getObject("package")->getValue<std::string>("state"),
            "destroyed");
}

TEST_F(SecretsDelivery, ApprovingAnSmsZipOrderIssuesTheSecretAndQueuesItsMessages) {
  const Production p = ApprovedOrder();
  ASSERT_EQ(p.delivery_id.size(), 36u) << "the approval names the delivery it queued";
  const HttpResponse client = http().Get("/v1/clients/" + p.client_id, svc().Operator());
  EXPECT_EQ(client.json->getValue<std::string>("state"), "active")
      << "the client is active once its secret is issued";
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id + "' AND state = 'pending'"), 2);
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id +
                  "' AND kind = 'sms' AND recipient = '+4791234567'"),
            1);
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id +
                  "' AND kind = 'email' AND recipient = 'ola@example.no'"),
            1);
  for (const Headers& as : {svc().Operator(), svc().Portal(p.orgno)}) {
    const HttpResponse d = http().Get("/v1/deliveries/" + p.delivery_id, as);
    ASSERT_EQ(d.status, 200) << d.Describe();
    EXPECT_EQ(d.json->getValue<std::string>("channel"), "email");
    EXPECT_EQ(d.json->getValue<std::string>("state"), "in_progress");
    EXPECT_EQ(d.json->getValue<std::string>("order_id"), p.order_id);
    auto steps = d.json->getObject("steps");
    EXPECT_EQ(steps->getObject("sms")->getValue<std::string>("state"), "queued");
    EXPECT_EQ(steps->getObject("email")->getValue<std::string>("state"), "queued");
    EXPECT_EQ(steps->getObject("package")->getValue<std::string>("state"), "built");
    EXPECT_EQ(d.body.find(ZipPassword(p.delivery_id)), std::string::npos);
  }
  EXPECT_EQ(http().Get("/v1/deliveries/" + p.delivery_id, svc().Portal(NewOrg())).status, 404);
  // The e-mailed zip opens with the SMS password and holds a secret that authenticates.
  const std::string zip = crypto::Base64UrlDecode(
      Payload(p.delivery_id, "email")->getValue<std::string>("attachment_base64"));
  const std::string secret = SecretOf(zip, ZipPassword(p.delivery_id));
  EXPECT_TRUE(Authenticates(p.client_id, secret));
  // The e-mail channel has no download.
  EXPECT_EQ(ProblemCode(
                http().Get("/v1/deliveries/" + p.delivery_id + "/package", svc().Portal(p.orgno))),
            "not_a_download");
}

TEST_F(SecretsDelivery, AProductionSecretIsAnsweredWithADeliveryIdOnly) {
  const Production p = ApprovedOrder();
  Poco::JSON::Object body;
  body.set("channel", "download");
  const HttpResponse portal =
      svc().Post("/v1/clients/" + p.client_id + "/secret", body, svc().Portal(p.orgno));
  EXPECT_EQ(portal.status, 403) << portal.Describe();
  const HttpResponse r =
      svc().Post("/v1/clients/" + p.client_id + "/secret", body, svc().Operator());
  ASSERT_EQ(r.status, 202) << r.Describe();
  for (const auto& [k, v] : *r.json) EXPECT_EQ(k.find("client_secret"), std::string::npos) << k;
  const std::string delivery_id = r.json->getValue<std::string>("delivery_id");
  EXPECT_EQ(r.json->getValue<std::string>("channel"), "download");
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + delivery_id + "'"), 1);  // the SMS only
  // The approval's secret stays valid through the grace period next to the new one.
  EXPECT_EQ(Count("client_secrets WHERE client_id = '" + p.client_id + "' AND expires_at > now()"),
            2);

  // One download: the zip, then 410 with an audit alarm.
  const HttpResponse got =
      http().Get("/v1/deliveries/" + delivery_id + "/package", svc().Portal(p.orgno));
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.content_type, "application/zip");
  const std::string secret = SecretOf(got.body, ZipPassword(delivery_id));
  EXPECT_TRUE(Authenticates(p.client_id, secret));
  EXPECT_NE(Extract7z(got.body, "wrong-passw-ordxx-xxxxx-xxxxx").exit_code, 0);
  EXPECT_EQ(Count("deliveries WHERE id = '" + delivery_id +
                  "' AND package IS NULL AND package_state = 'downloaded'"),
            1);
  const HttpResponse again =
      http().Get("/v1/deliveries/" + delivery_id + "/package", svc().Operator());
  EXPECT_EQ(again.status, 410) << again.Describe();
  EXPECT_EQ(ProblemCode(again), "package_already_downloaded");
  EXPECT_EQ(
      Count("audit_events WHERE action = 'delivery.package_second_download' AND target_id = '" +
            delivery_id + "' AND outcome = 'alarm'"),
      1);
  const HttpResponse d = http().Get("/v1/deliveries/" + delivery_id, svc().Operator());
  auto package = d.json->getObject("steps")->getObject("package");
  EXPECT_EQ(package->getValue<std::string>("state"), "downloaded");
  EXPECT_EQ(package->getValue<std::string>("downloaded_ip"), "127.0.0.1");
  EXPECT_EQ(package->getValue<int>("download_attempts"), 2);
}

TEST_F(SecretsDelivery, AnUnfetchedPackageExpiresAndIsDestroyed) {
  const Production p = ApprovedOrder();
  const std::string delivery_id = ExpiredDownload(p);
  ASSERT_FALSE(delivery_id.empty());
  const HttpResponse got =
      http().Get("/v1/deliveries/" + delivery_id + "/package", svc().Portal(p.orgno));
  EXPECT_EQ(got.status, 410) << got.Describe();
  EXPECT_EQ(ProblemCode(got), "package_expired");
  EXPECT_EQ(Count("deliveries WHERE id = '" + delivery_id +
                  "' AND package IS NULL AND package_state = 'expired'"),
            1);
  const HttpResponse d = http().Get("/v1/deliveries/" + delivery_id, svc().Operator());
  EXPECT_EQ(d.json->getValue<std::string>("state"), "expired");
}

TEST_F(SecretsDelivery, AReissueReplacesSecretZipAndPasswordAndCancelsTheOldMessages) {
  const Production p = ApprovedOrder();
  const std::string old_password = ZipPassword(p.delivery_id);
  const std::string old_secret =
      SecretOf(crypto::Base64UrlDecode(
                   Payload(p.delivery_id, "email")->getValue<std::string>("attachment_base64")),
               old_password);
  ASSERT_TRUE(Authenticates(p.client_id, old_secret));
  EXPECT_EQ(
      http()
          .Request("POST", "/v1/deliveries/" + p.delivery_id + "/reissue", svc().Portal(p.orgno))
          .status,
      403);
  const HttpResponse r =
      http().Request("POST", "/v1/deliveries/" + p.delivery_id + "/reissue", svc().Operator());
  ASSERT_EQ(r.status, 202) << r.Describe();
  const std::string new_id = r.json->getValue<std::string>("delivery_id");
  EXPECT_NE(new_id, p.delivery_id);
  // The old delivery: superseded, its messages cancelled with their payloads erased, its
  // undelivered secret revoked.
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + p.delivery_id +
                  "' AND state = 'cancelled' AND payload IS NULL"),
            2);
  EXPECT_FALSE(Authenticates(p.client_id, old_secret));
  const HttpResponse old = http().Get("/v1/deliveries/" + p.delivery_id, svc().Operator());
  EXPECT_EQ(old.json->getValue<std::string>("state"), "superseded");
  EXPECT_EQ(old.json->getValue<std::string>("superseded_by"), new_id);
  // The new one: same recipients, new password, new secret.
  EXPECT_EQ(Count("outbox WHERE delivery_id = '" + new_id + "' AND state = 'pending'"), 2);
  const std::string new_password = ZipPassword(new_id);
  EXPECT_NE(new_password, old_password);
  const std::string new_secret = SecretOf(
      crypto::Base64UrlDecode(Payload(new_id, "email")->getValue<std::string>("attachment_base64")),
      new_password);
  EXPECT_NE(new_secret, old_secret);
  EXPECT_TRUE(Authenticates(p.client_id, new_secret));
  // A delivery is reissued once.
  const HttpResponse twice =
      http().Request("POST", "/v1/deliveries/" + p.delivery_id + "/reissue", svc().Operator());
  EXPECT_EQ(twice.status, 409) << twice.Describe();
}

TEST_F(SecretsDelivery, TheSweepDestroysPackagesNobodyFetchedInTime) {
  const Production p = ApprovedOrder();
  const std::string id = ExpiredDownload(p);
  ASSERT_FALSE(id.empty());
  const bool swept = WaitUntil(
      [&] { return Count("deliveries WHERE id = '" + id + "' AND package IS NULL") == 1; },
      std::chrono::seconds(20), std::chrono::milliseconds(100));
  ASSERT_TRUE(swept)
      << "the sweep (delivery.sweep_interval_s = 1) did not destroy the expired package";
  EXPECT_EQ(QueryScalar(db().url(), "SELECT package_state FROM deliveries WHERE id = '" + id + "'"),
            "expired");
  EXPECT_EQ(Count("audit_events WHERE action = 'delivery.package_expired' AND target_id = '" + id +
                  "' AND detail::jsonb->>'reason' = 'package_ttl'"),
            1);
}

TEST_F(SecretsDelivery, RefusesAMobileNumberOutsideTheAcceptedPrefixes) {
  const Production p = ApprovedOrder();
  for (const char* mobile : {"+4612345678", "+479123456", "91234567"}) {
    Poco::JSON::Object body;
    body.set("channel", "download");
    body.set("mobile", mobile);
    const HttpResponse r =
        svc().Post("/v1/clients/" + p.client_id + "/secret", body, svc().Operator());
    EXPECT_EQ(r.status, 400) << mobile << ": " << r.Describe();
    bool named = false;
    for (const auto& [path, code] : FieldErrors(r))
      named = named || (path == "mobile" && code == "invalid_mobile");
    EXPECT_TRUE(named) << r.body;
  }
  Poco::JSON::Object mail;
  mail.set("channel", "email");
  mail.set("email", "not-an-address");
  EXPECT_EQ(svc().Post("/v1/clients/" + p.client_id + "/secret", mail, svc().Operator()).status,
            400);
  EXPECT_EQ(Count("deliveries WHERE client_id = '" + p.client_id + "'"), 1)
      << "only the approval's delivery";
}

// Last in the file: the suite's logs and tables, read in full, hold none of the secrets
// and passwords the tests above handled.
TEST_F(SecretsDelivery, ZzNoLogLineOrTableHoldsASecretOrAPassword) {
  ASSERT_GE(rig().secrets_seen.size(), 5u)
      << "run the whole suite: this test checks what the others produced";
  ASSERT_GE(rig().passwords_seen.size(), 3u);
  const std::string log = svc().api().log();
  std::string dump;
  for (const char* table : {"client_secrets", "deliveries", "outbox", "audit_events", "clients",
                            "client_history", "production_orders"}) {
    dump +=
        QueryScalar(db().url(), std::string("SELECT string_agg(t::text, '|') FROM ") + table + " t")
            .value_or("");
  }
  for (const auto& s : rig().secrets_seen) {
    EXPECT_EQ(log.find(s), std::string::npos) << "a secret is in the log";
    EXPECT_EQ(dump.find(s), std::string::npos) << "a secret is in the database";
  }
  for (const auto& p : rig().passwords_seen) {
    EXPECT_EQ(log.find(p), std::string::npos) << "a zip password is in the log";
    EXPECT_EQ(dump.find(p), std::string::npos) << "a zip password is in the database";
  }
}

}  // namespace
}  // namespace onboard::testsupport
