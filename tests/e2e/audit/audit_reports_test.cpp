// Reports against hand-computed fixtures: the onboarding and access figures for October
// 2026 (JSON and CSV, overall and per organisation), refused requests counted per token,
// and the monthly HTML report rendered by a real headless chromium showing the JSON's numbers.

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <regex>

#include "audit_fixture.hpp"
#include "e2e_shared_suite.hpp"
#include "client_fixtures.hpp"
#include "crypto.hpp"

namespace onboard::testsupport::audit {
namespace {

const std::string kA = ValidOrgno(1, 95000000);
const std::string kB = ValidOrgno(2, 95000000);
constexpr int64_t kDay = 86400;

int64_t At(const std::string& rfc3339) {
  int64_t us = 0;
  EXPECT_TRUE(domain::ParseRfc3339Micros(rfc3339, us)) << rfc3339;
  return us;
}

// The fixture (hand-computed figures in the tests below):
//   cases   o1 A 10-02 in_production | o2 A 10-10 production_ordered | o3 B 10-20 open
//           o4 B 09-15 open (before the period) | o5 B 10-25 withdrawn
//   test clients (created): c1b A 08-01 + c1 A 09-01 -> o1; c2 A 10-11 -> o2; c3 B 10-21 -> o3;
//           c5 B 09-20 -> o4; c6 B 10-26 -> o5
//   orders  ord1 o1/c1 approved   submitted 10-05 decided 10-08  (68 days after c1b)
//           ord2 o2/c2 submitted  submitted 10-28                (waiting, 4 days at 11-01)
//           ord3 o3/c3 rejected   submitted 10-22 decided 10-23
//           ord4 o4/c5 approved   submitted 09-25 decided 10-15  (25 days after c5)
//           ord5 o5/c6 approved   submitted 10-26 decided 11-02  (waiting at 11-01, 6 days)
void LoadFixture(const std::string& url) {
  std::string sql;
  auto org = [&](const std::string& orgno) {
    sql += "INSERT INTO organisations (orgno, name) VALUES ('" + orgno + "', 'Org " + orgno + "');";
  };
  auto client = [&](const std::string& id, const std::string& env, const std::string& orgno,
                    const std::string& at) {
    sql +=
        "INSERT INTO clients (client_id, environment, organisation, integration_type, client_name, "
        "state, metadata, "
        "registration_channel, created_by, created_at) VALUES ('" +
        id + "', '" + env + "', '" + orgno +
        "', 'idporten', 'x', 'active', '{}', 'operator', 'fixture', '" + at + "');";
  };
  auto onboarding = [&](const std::string& id, const std::string& orgno, const std::string& state,
                        const std::string& at) {
    sql +=
        "INSERT INTO onboardings (id, organisation, service_name, state, created_by, created_at) "
        "VALUES ('" +
        id + "', '" + orgno + "', 'service " + id + "', '" + state + "', 'fixture', '" + at + "');";
  };
  auto link = [&](const std::string& onb, const std::string& c) {
    sql += "INSERT INTO onboarding_clients (onboarding_id, client_id, linked_by) VALUES ('" + onb +
           "', '" + c + "', 'fixture');";
  };
  auto order = [&](const std::string& id, const std::string& onb, const std::string& orgno,
                   const std::string& c, const std::string& state, const std::string& submitted,
                   const std::string& decided, const std::string& prod) {
    sql +=
        "INSERT INTO production_orders (id, onboarding_id, organisation, test_client_id, state, "
        "delivery_method, "
        "proposed_metadata, entered_by, entered_by_role, submitted_at, decided_at, "
        "production_client_id) VALUES ('" +
        id + "', '" + onb + "', '" + orgno + "', '" + c + "', '" + state +
        "', 'certificate', '{}', 'fixture', "
        "'operator', '" +
        submitted + "', " + (decided.empty() ? "NULL" : "'" + decided + "'") + ", " +
        (prod.empty() ? "NULL" : "'" + prod + "'") + ");";
  };
  org(kA);
  org(kB);
  const auto id = [](int n) {
    return "00000000-0000-4000-8000-0000000000" + std::to_string(10 + n);
  };
  // clients 1..9: c1b c1 c2 c3 c5 c6 p1 p4 p5
  client(id(1), "test", kA, "2026-08-01T00:00:00Z");
  client(id(2), "test", kA, "2026-09-01T00:00:00Z");
  client(id(3), "test", kA, "2026-10-11T00:00:00Z");
  client(id(4), "test", kB, "2026-10-21T00:00:00Z");
  client(id(5), "test", kB, "2026-09-20T00:00:00Z");
  client(id(6), "test", kB, "2026-10-26T00:00:00Z");
  client(id(7), "production", kA, "2026-10-08T00:00:00Z");
  client(id(8), "production", kB, "2026-10-15T00:00:00Z");
  client(id(9), "production", kB, "2026-11-02T00:00:00Z");
  // onboardings 21..25
  onboarding(id(21), kA, "in_production", "2026-10-02T00:00:00Z");
  onboarding(id(22), kA, "production_ordered", "2026-10-10T00:00:00Z");
  onboarding(id(23), kB, "open", "2026-10-20T00:00:00Z");
  onboarding(id(24), kB, "open", "2026-09-15T00:00:00Z");
  onboarding(id(25), kB, "withdrawn", "2026-10-25T00:00:00Z");
  link(id(21), id(1));
  link(id(21), id(2));
  link(id(22), id(3));
  link(id(23), id(4));
  link(id(24), id(5));
  link(id(25), id(6));
  order(id(31), id(21), kA, id(2), "approved", "2026-10-05T00:00:00Z", "2026-10-08T00:00:00Z",
        id(7));
  order(id(32), id(22), kA, id(3), "submitted", "2026-10-28T00:00:00Z", "", "");
  order(id(33), id(23), kB, id(4), "rejected", "2026-10-22T00:00:00Z", "2026-10-23T00:00:00Z", "");
  order(id(34), id(24), kB, id(5), "approved", "2026-09-25T00:00:00Z", "2026-10-15T00:00:00Z",
        id(8));
  order(id(35), id(25), kB, id(6), "approved", "2026-10-26T00:00:00Z", "2026-11-02T00:00:00Z",
        id(9));
  ExecSql(url, sql);

  auto conn = Connect(url);
  AppendAt(*conn, Event("alice", "operator", kA, "client.update", id(1)),
           At("2026-10-03T10:00:00Z"));
  AppendAt(*conn, Event("alice", "operator", kA, "client.update", id(1), "failure"),
           At("2026-10-04T10:00:00Z"));
  AppendAt(*conn, Event("alice", "operator", kA, "production_order.approve", id(31)),
           At("2026-10-08T00:00:00Z"));
  AppendAt(*conn, Event("bob", "portal", kB, "client.update", id(4)), At("2026-10-21T09:00:00Z"));
  AppendAt(*conn, Event("bob", "portal", kB, "production_order.submit", id(33)),
           At("2026-10-22T00:00:00Z"));
  AppendAt(*conn, Event("carol", "auditor", "", "audit.checkpoint", "1"),
           At("2026-10-31T23:59:59.999999Z"));
  AppendAt(*conn, Event("carol", "auditor", "", "audit.checkpoint", "2"),
           At("2026-11-01T00:00:00Z"));  // after
}

// Credentials and deliveries (tables of the secrets slice): fixture rows relative to now
// for the "as of now" lists, fixed October dates for the period figures.
void LoadSecretsFixture(const std::string& url) {
  const auto id = [](int n) {
    return "00000000-0000-4000-8000-0000000000" + std::to_string(10 + n);
  };
  std::string sql;
  auto secret = [&](int n, int client, const std::string& created, const std::string& expires,
                    const std::string& state, const std::string& superseded,
                    const std::string& revoked, const std::string& last_used) {
    sql +=
        "INSERT INTO client_secrets (secret_id, client_id, secret_hash, prefix, state, created_at, "
        "expires_at, "
        "revoked_at, last_used_at, created_by, superseded_at) VALUES ('" +
        id(n) + "', '" + id(client) + "', 'hash-" + std::to_string(n) + "', 'p', '" + state +
        "', '" + created + "', " + expires + ", " +
        (revoked.empty() ? "NULL" : "'" + revoked + "'") + ", " +
        (last_used.empty() ? "NULL" : last_used) + ", 'fixture', " +
        (superseded.empty() ? "NULL" : "'" + superseded + "'") + ");";
  };
  // secrets 41..45
  secret(41, 1, "2026-10-05T00:00:00Z", "now() + interval '10 days 1 hour'", "active",
         "2026-10-20T00:00:00Z", "", "now() - interval '1 hour'");
  secret(42, 1, "2026-10-20T00:00:00Z", "now() + interval '300 days'", "active", "", "", "");
  secret(43, 4, "2026-09-01T00:00:00Z", "now() + interval '100 days'", "revoked", "",
         "2026-10-10T00:00:00Z", "");
  secret(44, 7, "2026-10-08T00:00:00Z", "now() + interval '20 days 1 hour'", "active", "", "",
         "now()");
  secret(45, 3, "2026-11-05T00:00:00Z", "now() + interval '5 days 1 hour'", "active",
         "2026-11-06T00:00:00Z", "", "'2026-11-05T12:00:00Z'");
  auto delivery = [&](int n, int client, int secret_n, const std::string& org,
                      const std::string& channel, const std::string& package_state,
                      const std::string& downloaded, const std::string& email_state,
                      const std::string& sms_state, const std::string& sms_code,
                      const std::string& created) {
    sql +=
        "INSERT INTO deliveries (id, client_id, secret_id, organisation, environment, channel, "
        "mobile, email, "
        "package_state, package_expires_at, downloaded_at, email_state, sms_state, sms_error_code, "
        "created_by, "
        "created_at) VALUES ('" +
        id(n) + "', '" + id(client) + "', '" + id(secret_n) + "', '" + org + "', 'test', '" +
        channel + "', '+4791234567', " + (channel == "email" ? "'a@example.no'" : "NULL") + ", '" +
        package_state + "', '2026-12-31T00:00:00Z', " +
        (downloaded.empty() ? "NULL" : "'" + downloaded + "'") + ", '" + email_state + "', '" +
        sms_state + "', " + (sms_code.empty() ? "NULL" : "'" + sms_code + "'") + ", 'fixture', '" +
        created + "');";
  };
  // deliveries 51..55
  delivery(51, 1, 42, kA, "download", "downloaded", "2026-10-21T00:00:00Z", "not_applicable",
           "delivered", "", "2026-10-20T00:00:00Z");
  delivery(52, 7, 44, kA, "email", "emailed", "", "sent", "undelivered", "30003",
           "2026-10-08T00:00:00Z");
  delivery(53, 1, 41, kA, "download", "expired", "", "not_applicable", "failed", "30003",
           "2026-10-05T00:00:00Z");
  delivery(54, 4, 43, kB, "email", "built", "", "failed", "sent", "", "2026-10-12T00:00:00Z");
  delivery(55, 3, 45, kA, "download", "built", "", "not_applicable", "queued", "",
           "2026-11-05T00:00:00Z");
  sql +=
      "INSERT INTO outbox (delivery_id, kind, state, recipient, deadline_at, last_error_code) "
      "VALUES ('" +
      id(54) + "', 'email', 'failed', 'a@example.no', '2026-10-13T00:00:00Z', 'smtp_550');";
  // Certificates bound to clients (client_keys), expiring relative to now; the default
  // window is 30 days. k61 c7 (A) 3 d 1 h | k62 c1 (A) exactly 30 d (the window's edge,
  // inside) | k63 c1 (A) 30 d 1 h (outside) | k64 c7 (A) 2 d but removed | k65 c4 (B) 12 d 1 h
  // | k66 c1 (A) already expired | k67 c1 (A) a bare JWK expiring in 1 d (not a certificate).
  auto key = [&](int n, int client, const std::string& kind, const std::string& not_after,
                 bool removed) {
    const std::string k = std::to_string(n);
    const bool cert = kind == "certificate";
    sql +=
        "INSERT INTO client_keys (id, client_id, kid, kind, alg, jwk, certificate, thumbprint, "
        "subject, issuer, "
        "serial, orgno, not_before, not_after, created_by, removed_at, removed_by) VALUES ('" +
        id(n) + "', '" + id(client) + "', 'kid-" + k + "', '" + kind +
        "', 'RS256', '{\"kty\": \"RSA\"}', " +
        (cert ? "'-----BEGIN CERTIFICATE-----', 'thumb-" + k + "', 'CN=Cert " + k +
                    ",serialNumber=9" + k + "0000000', 'CN=Test CA', 'serial-" + k + "', '9" + k +
                    "0000000', now() - interval '300 days'"
              : std::string("NULL, NULL, NULL, NULL, NULL, NULL, NULL")) +
        ", " + not_after + ", 'fixture', " + (removed ? "now(), 'fixture'" : "NULL, NULL") + ");";
  };
  key(61, 7, "certificate", "now() + interval '3 days 1 hour'", false);
  key(62, 1, "certificate", "now() + interval '30 days'", false);
  key(63, 1, "certificate", "now() + interval '30 days 1 hour'", false);
  key(64, 7, "certificate", "now() + interval '2 days'", true);
  key(65, 4, "certificate", "now() + interval '12 days 1 hour'", false);
  key(66, 1, "certificate", "now() - interval '1 day'", false);
  key(67, 1, "jwk", "now() + interval '1 day'", false);
  ExecSql(url, sql);
  auto conn = Connect(url);
  AppendAt(
      *conn,
      Event("system:secrets", "system", kA, "delivery.package_second_download", id(51), "alarm"),
      At("2026-10-22T00:00:00Z"));
}

class AuditReports : public SharedRigSuite<AuditReports, AuditService> {
 public:
  static std::unique_ptr<AuditService> StartRig() {
    auto svc = std::make_unique<AuditService>();
    LoadFixture(svc->db->url());
    LoadSecretsFixture(svc->db->url());
    svc->Start({{"ONBOARD_AUDIT_REFUSAL_FLUSH_MS", "100"}});
    return svc;
  }
  static void StopRig(AuditService& svc) { svc.Stop(); }

 protected:
  static AuditService& svc() { return rig(); }
  static HttpResponse Report(const std::string& path) {
    return svc().AuditorGet("/v1/audit/reports/" + path);
  }
};

TEST_F(AuditReports, OnboardingFiguresForAllOrganisationsMatchTheFixture) {
  const HttpResponse r = Report("onboarding?month=2026-10");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto cases = r.json->getObject("cases_by_state");
  EXPECT_EQ(cases->getValue<int64_t>("in_production"), 1);
  EXPECT_EQ(cases->getValue<int64_t>("production_ordered"), 1);
  EXPECT_EQ(cases->getValue<int64_t>("open"), 1);  // o4 was opened in September
  EXPECT_EQ(cases->getValue<int64_t>("withdrawn"), 1);
  EXPECT_EQ(r.json->getValue<int64_t>("cases_opened"), 4);
  auto orders = r.json->getObject("production_orders");
  EXPECT_EQ(orders->getValue<int64_t>("submitted"), 4);  // ord1, ord2, ord3, ord5
  EXPECT_EQ(orders->getValue<int64_t>("approved"), 2);  // ord1, ord4 (ord5 was decided in November)
  EXPECT_EQ(orders->getValue<int64_t>("rejected"), 1);
  auto ttp = r.json->getObject("time_to_production");
  EXPECT_EQ(ttp->getValue<int64_t>("approvals_measured"), 2);
  // 25 and 68 days: median 46.5 days, p90 25 + 0.9 * 43 = 63.7 days.
  EXPECT_DOUBLE_EQ(ttp->getValue<double>("median_s"), 46.5 * kDay);
  EXPECT_NEAR(ttp->getValue<double>("p90_s"), 63.7 * kDay, 1e-6);
  auto waiting = r.json->getObject("orders_waiting");
  EXPECT_EQ(waiting->getValue<std::string>("as_of"), "2026-11-01T00:00:00.000000Z");
  EXPECT_EQ(waiting->getValue<int64_t>("count"), 2);
  EXPECT_EQ(waiting->getValue<int64_t>("oldest_age_s"), 6 * kDay);
  auto list = waiting->getArray("orders");
  EXPECT_EQ(list->getObject(0)->getValue<int64_t>("age_s"), 6 * kDay);  // ord5
  EXPECT_EQ(list->getObject(1)->getValue<int64_t>("age_s"), 4 * kDay);  // ord2
}

TEST_F(AuditReports, OnboardingFiguresForOneOrganisation) {
  const HttpResponse r = Report("onboarding?from=2026-10-01&to=2026-11-01&organisation=" + kA);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("organisation"), kA);
  EXPECT_EQ(r.json->getValue<int64_t>("cases_opened"), 2);
  auto orders = r.json->getObject("production_orders");
  EXPECT_EQ(orders->getValue<int64_t>("submitted"), 2);
  EXPECT_EQ(orders->getValue<int64_t>("approved"), 1);
  EXPECT_EQ(orders->getValue<int64_t>("rejected"), 0);
  auto ttp = r.json->getObject("time_to_production");
  EXPECT_DOUBLE_EQ(ttp->getValue<double>("median_s"),
                   68.0 * kDay);  // from c1b, the case's first test client
  EXPECT_DOUBLE_EQ(ttp->getValue<double>("p90_s"), 68.0 * kDay);
  EXPECT_EQ(r.json->getObject("orders_waiting")->getValue<int64_t>("count"), 1);
}

TEST_F(AuditReports, OnboardingReportAsCsv) {
  const HttpResponse r = Report("onboarding?month=2026-10&format=csv");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.content_type.rfind("text/csv", 0), 0u);
  std::map<std::string, std::string> cells;
  for (const auto& row : ParseCsv(r.body)) {
    ASSERT_EQ(row.size(), 3u) << r.body;
    cells[row[0] + "/" + row[1]] = row[2];
  }
  EXPECT_EQ(cells["section/key"], "value");
  EXPECT_EQ(cells["production_orders/submitted"], "4");
  EXPECT_EQ(cells["production_orders/approved"], "2");
  EXPECT_EQ(cells["cases_by_state/open"], "1");
  EXPECT_EQ(cells["time_to_production/median_s"], "4017600.000");
  EXPECT_EQ(cells["orders_waiting/count"], "2");
}

TEST_F(AuditReports, AccessFiguresPerActorAndRole) {
  const HttpResponse r = Report("access?month=2026-10");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto actions = r.json->getArray("actions_per_actor");
  ASSERT_EQ(actions->size(), 4u) << r.body;
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("actor"), "alice");
  EXPECT_EQ(actions->getObject(0)->getValue<int64_t>("actions"), 3);
  EXPECT_EQ(actions->getObject(0)->getValue<int64_t>("not_successful"), 1);
  EXPECT_EQ(actions->getObject(1)->getValue<std::string>("actor"), "bob");
  EXPECT_EQ(actions->getObject(1)->getValue<std::string>("role"), "portal");
  EXPECT_EQ(actions->getObject(1)->getValue<int64_t>("actions"), 2);
  EXPECT_EQ(actions->getObject(2)->getValue<std::string>("actor"), "carol");
  EXPECT_EQ(actions->getObject(2)->getValue<int64_t>("actions"), 1);  // the 11-01 event is outside
  EXPECT_EQ(actions->getObject(3)->getValue<std::string>("actor"),
            "system:secrets");  // the second-download alarm
  const HttpResponse org = Report("access?month=2026-10&organisation=" + kB);
  ASSERT_EQ(org.json->getArray("actions_per_actor")->size(), 1u);
  EXPECT_TRUE(org.json->isNull("refused_requests"));
  const HttpResponse csv = Report("access?month=2026-10&format=csv");
  EXPECT_NE(csv.body.find("actions_per_actor,alice (operator),3\r\n"), std::string::npos)
      << csv.body;
}

TEST_F(AuditReports, CountsRefusedRequestsPerToken) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(svc().http->Get("/v1/audit/events").status, 401);
  EXPECT_EQ(svc().http->Get("/v1/audit/events", Bearer("onb_not-a-real-token")).status, 401);
  const Headers portal =
      Bearer(svc().portal.secret, {{"X-Onboard-Org", kA}, {"X-Onboard-User", "kari"}});
  EXPECT_EQ(svc().http->Get("/v1/audit/events", portal).status, 403);
  EXPECT_EQ(svc().http->Get("/v1/audit/verify", portal).status, 403);
  const std::string today = domain::Rfc3339FromMicros(NowUs()).substr(0, 10);
  const std::string tomorrow = domain::Rfc3339FromMicros(NowUs() + kDay * 1000000).substr(0, 10);
  std::map<std::string, int64_t> seen;
  ASSERT_TRUE(WaitUntil(
      [&] {
        const HttpResponse r = Report("access?from=" + today + "&to=" + tomorrow);
        seen.clear();
        auto refusals = r.json ? r.json->getArray("refused_requests") : nullptr;
        for (std::size_t i = 0; refusals && i < refusals->size(); ++i) {
          auto o = refusals->getObject(static_cast<unsigned>(i));
          seen[o->getValue<std::string>("token") + "/" +
               std::to_string(o->getValue<int>("status"))] = o->getValue<int64_t>("count");
        }
        return seen["anonymous/401"] == 4 && seen[svc().portal.id + "/403"] == 2;
      },
      20s, 100ms))
      << "anonymous/401=" << seen["anonymous/401"]
      << " portal/403=" << seen[svc().portal.id + "/403"];
}

TEST_F(AuditReports, CredentialFiguresMatchTheFixture) {
  const auto id = [](int n) {
    return "00000000-0000-4000-8000-0000000000" + std::to_string(10 + n);
  };
  const HttpResponse r = Report("credentials?month=2026-10");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto secrets = r.json->getObject("secrets");
  EXPECT_EQ(secrets->getValue<int64_t>("issued"), 3);   // s41, s42, s44
  EXPECT_EQ(secrets->getValue<int64_t>("rotated"), 1);  // s41
  EXPECT_EQ(secrets->getValue<int64_t>("revoked"), 1);  // s43
  auto expiring = r.json->getArray("secrets_expiring");
  ASSERT_EQ(expiring->size(), 3u) << r.body;  // s45 (5 d), s41 (10 d), s44 (20 d); s43 is revoked
  EXPECT_EQ(expiring->getObject(0)->getValue<std::string>("secret_id"), id(45));
  EXPECT_EQ(expiring->getObject(0)->getValue<int64_t>("days_left"), 5);
  EXPECT_TRUE(expiring->getObject(0)->getValue<bool>("superseded"));
  EXPECT_EQ(expiring->getObject(1)->getValue<std::string>("secret_id"), id(41));
  EXPECT_EQ(expiring->getObject(2)->getValue<std::string>("secret_id"), id(44));
  EXPECT_EQ(expiring->getObject(2)->getValue<int64_t>("days_left"), 20);
  auto in_use = r.json->getArray("clients_using_rotated_secret");
  ASSERT_EQ(in_use->size(), 1u) << r.body;  // s41 was used after s42 replaced it; s45 was not
  EXPECT_EQ(in_use->getObject(0)->getValue<std::string>("secret_id"), id(41));
  EXPECT_EQ(Report("credentials?month=2026-10&expiring_within_days=7")
                .json->getArray("secrets_expiring")
                ->size(),
            1u);
  const HttpResponse b = Report("credentials?month=2026-10&organisation=" + kB);
  EXPECT_EQ(b.json->getObject("secrets")->getValue<int64_t>("issued"), 0);
  EXPECT_EQ(b.json->getObject("secrets")->getValue<int64_t>("revoked"), 1);
  EXPECT_EQ(Report("credentials?month=2026-10&expiring_within_days=0").status, 400);
  EXPECT_NE(Report("credentials?month=2026-10&format=csv").body.find("secrets,issued,3\r\n"),
            std::string::npos);
}

TEST_F(AuditReports, CertificatesExpiringWithinTheWindowAreListedSoonestFirst) {
  const auto id = [](int n) {
    return "00000000-0000-4000-8000-0000000000" + std::to_string(10 + n);
  };
  const HttpResponse r = Report("credentials?month=2026-10");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<int>("expiring_within_days"), 30);
  auto certs = r.json->getArray("certificates_expiring");
  ASSERT_TRUE(certs) << r.body;
  // k61 (3 d), k65 (12 d), k62 (at the 30-day edge); k63 is past the window, k64 removed,
  // k66 expired, k67 a JWK.
  ASSERT_EQ(certs->size(), 3u) << r.body;
  auto first = certs->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("key_id"), id(61));
  EXPECT_EQ(first->getValue<std::string>("client_id"), id(7));
  EXPECT_EQ(first->getValue<std::string>("kid"), "kid-61");
  EXPECT_EQ(first->getValue<std::string>("organisation"), kA);
  EXPECT_EQ(first->getValue<std::string>("environment"), "production");
  EXPECT_EQ(first->getValue<std::string>("subject"), "CN=Cert 61,serialNumber=9610000000");
  EXPECT_EQ(first->getValue<std::string>("certificate_orgno"), "9610000000");
  EXPECT_EQ(first->getValue<std::string>("issuer"), "CN=Test CA");
  EXPECT_EQ(first->getValue<std::string>("thumbprint"), "thumb-61");
  EXPECT_EQ(first->getValue<int64_t>("days_left"), 3);
  const int64_t not_after = At(first->getValue<std::string>("not_after"));
  EXPECT_NEAR(static_cast<double>(not_after - NowUs()), (3 * kDay + 3600) * 1e6, 120e6);
  EXPECT_EQ(certs->getObject(1)->getValue<std::string>("key_id"), id(65));
  EXPECT_EQ(certs->getObject(1)->getValue<std::string>("organisation"), kB);
  EXPECT_EQ(certs->getObject(1)->getValue<std::string>("environment"), "test");
  EXPECT_EQ(certs->getObject(1)->getValue<int64_t>("days_left"), 12);
  EXPECT_EQ(certs->getObject(2)->getValue<std::string>("key_id"), id(62));
  EXPECT_EQ(certs->getObject(2)->getValue<int64_t>("days_left"),
            29);  // 30 days from the fixture's now

  // The same N as the secrets: 7 days keeps k61 only; 31 days takes k63 in too.
  const HttpResponse week = Report("credentials?month=2026-10&expiring_within_days=7");
  ASSERT_EQ(week.json->getArray("certificates_expiring")->size(), 1u) << week.body;
  EXPECT_EQ(
      week.json->getArray("certificates_expiring")->getObject(0)->getValue<std::string>("key_id"),
      id(61));
  const HttpResponse month = Report("credentials?month=2026-10&expiring_within_days=31");
  auto wide = month.json->getArray("certificates_expiring");
  ASSERT_EQ(wide->size(), 4u) << month.body;
  EXPECT_EQ(wide->getObject(3)->getValue<std::string>("key_id"), id(63));

  // Per organisation: B's certificate is not in A's report, and B's has only its own.
  const HttpResponse a = Report("credentials?month=2026-10&organisation=" + kA);
  auto a_certs = a.json->getArray("certificates_expiring");
  ASSERT_EQ(a_certs->size(), 2u) << a.body;
  EXPECT_EQ(a_certs->getObject(0)->getValue<std::string>("key_id"), id(61));
  EXPECT_EQ(a_certs->getObject(1)->getValue<std::string>("key_id"), id(62));
  const HttpResponse b = Report("credentials?month=2026-10&organisation=" + kB);
  auto b_certs = b.json->getArray("certificates_expiring");
  ASSERT_EQ(b_certs->size(), 1u) << b.body;
  EXPECT_EQ(b_certs->getObject(0)->getValue<std::string>("key_id"), id(65));

  // CSV: one days-left and one not-after row per certificate, in the same order.
  const HttpResponse csv = Report("credentials?month=2026-10&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.Describe();
  std::vector<std::string> rows;
  for (const auto& row : ParseCsv(csv.body)) {
    ASSERT_EQ(row.size(), 3u) << csv.body;
    if (row[0] == "certificate_expiring_days_left") rows.push_back(row[1] + "=" + row[2]);
    if (row[0] == "certificate_expiring_not_after") {
      EXPECT_EQ(At(row[2]) > NowUs(), true) << row[2];
    }
  }
  EXPECT_EQ(rows, (std::vector<std::string>{id(7) + " (kid-61)=3", id(4) + " (kid-65)=12",
                                            id(1) + " (kid-62)=29"}))
      << csv.body;
}

TEST_F(AuditReports, DeliveryFiguresMatchTheFixture) {
  const auto id = [](int n) {
    return "00000000-0000-4000-8000-0000000000" + std::to_string(10 + n);
  };
  const HttpResponse r = Report("deliveries?month=2026-10");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto sms = r.json->getObject("sms");
  EXPECT_EQ(sms->getValue<int64_t>("succeeded"), 2);  // d51 delivered, d54 sent
  EXPECT_EQ(sms->getValue<int64_t>("failed"), 2);     // d52 undelivered, d53 failed
  EXPECT_EQ(sms->getValue<int64_t>("pending"), 0);    // d55 is November's
  EXPECT_DOUBLE_EQ(sms->getValue<double>("success_rate"), 0.5);
  auto email = r.json->getObject("email");
  EXPECT_EQ(email->getValue<int64_t>("sent"), 1);
  EXPECT_EQ(email->getValue<int64_t>("failed"), 1);
  EXPECT_DOUBLE_EQ(email->getValue<double>("success_rate"), 0.5);
  auto failures = r.json->getArray("failures_by_code");
  ASSERT_EQ(failures->size(), 2u) << r.body;
  EXPECT_EQ(failures->getObject(0)->getValue<std::string>("channel"), "sms");
  EXPECT_EQ(failures->getObject(0)->getValue<std::string>("code"), "30003");
  EXPECT_EQ(failures->getObject(0)->getValue<int64_t>("count"), 2);
  EXPECT_EQ(failures->getObject(1)->getValue<std::string>("code"), "smtp_550");
  auto never = r.json->getArray("packages_never_fetched");
  ASSERT_EQ(never->size(), 1u) << r.body;
  EXPECT_EQ(never->getObject(0)->getValue<std::string>("delivery_id"), id(53));
  auto alarms = r.json->getArray("second_download_alarms");
  ASSERT_EQ(alarms->size(), 1u) << r.body;
  EXPECT_EQ(alarms->getObject(0)->getValue<std::string>("delivery_id"), id(51));
  const HttpResponse b = Report("deliveries?month=2026-10&organisation=" + kB);
  EXPECT_EQ(b.json->getObject("sms")->getValue<int64_t>("succeeded"), 1);
  EXPECT_TRUE(b.json->getArray("second_download_alarms")->size() == 0);
}

TEST_F(AuditReports, RefusesAMissingOrMalformedPeriod) {
  for (const std::string q :
       {"onboarding", "onboarding?month=2026-13", "onboarding?from=2026-10-01",
        "onboarding?month=2026-10&from=2026-10-01", "access?from=2026-11-01&to=2026-10-01",
        "access?month=2026-10&organisation=123456789", "monthly?month=2026-10&format=pdf"}) {
    EXPECT_EQ(Report(q).status, 400) << q;
  }
}

// A loopback HTTP server that forwards GETs to the service with the auditor's bearer token:
// a browser cannot be told to send an Authorization header from the command line.
class AuthorizingProxy {
 public:
  AuthorizingProxy(int target_port, std::string token)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(target_port, std::move(token)),
                                                      socket_, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~AuthorizingProxy() { server_->stop(); }
  int port() const { return socket_.address().port(); }

 private:
  class Forward : public Poco::Net::HTTPRequestHandler {
   public:
    Forward(int port, const std::string& token) : port_(port), token_(token) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in,
                       Poco::Net::HTTPServerResponse& out) override {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
      Poco::Net::HTTPRequest req(in.getMethod(), in.getURI(), Poco::Net::HTTPMessage::HTTP_1_1);
      req.set("Authorization", "Bearer " + token_);
      req.set("Accept", in.get("Accept", "*/*"));
      session.sendRequest(req);
      Poco::Net::HTTPResponse res;
      std::istream& body = session.receiveResponse(res);
      out.setStatusAndReason(res.getStatus());
      out.setContentType(res.getContentType());
      Poco::StreamCopier::copyStream(body, out.send());
    }

   private:
    int port_;
    std::string token_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    Factory(int port, std::string token) : port_(port), token_(std::move(token)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Forward(port_, token_);
    }

   private:
    int port_;
    std::string token_;
  };
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

std::string TextOf(const std::string& dom, const std::string& id) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("id=\"" + id + "\"[^>]*>([^<]*)<"))) return m[1];
  return "(no element #" + id + ")";
}

TEST_F(AuditReports, MonthlyHtmlRendersInChromiumWithTheNumbersOfTheJsonReport) {
  const auto chromium = FindOnPath("chromium");
  ASSERT_TRUE(chromium)
      << "chromium is not installed (Debian package chromium; ops/install-deps installs it)";
  const HttpResponse json = Report("monthly?month=2026-10");
  ASSERT_EQ(json.status, 200) << json.Describe();
  auto onboarding = json.json->getObject("onboarding");
  auto orders = onboarding->getObject("production_orders");
  auto ttp = onboarding->getObject("time_to_production");

  AuthorizingProxy proxy(svc().api->port(), svc().auditor.secret);
  const std::string dir = TempDir();
  const std::string url = "http://127.0.0.1:" + std::to_string(proxy.port()) +
                          "/v1/audit/reports/monthly?month=2026-10&format=html";
  const CliResult r = RunProgram({*chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                  "--user-data-dir=" + dir, "--dump-dom", url},
                                 {"HOME=" + dir, "PATH=/usr/bin:/bin"}, 90s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& dom = r.out;
  ASSERT_NE(dom.find("<h1>Audit report for 2026-10</h1>"), std::string::npos)
      << dom.substr(0, 2000);
  EXPECT_EQ(TextOf(dom, "cases-opened"),
            std::to_string(onboarding->getValue<int64_t>("cases_opened")));
  EXPECT_EQ(TextOf(dom, "orders-submitted"),
            std::to_string(orders->getValue<int64_t>("submitted")));
  EXPECT_EQ(TextOf(dom, "orders-approved"), std::to_string(orders->getValue<int64_t>("approved")));
  EXPECT_EQ(TextOf(dom, "orders-rejected"), std::to_string(orders->getValue<int64_t>("rejected")));
  EXPECT_EQ(TextOf(dom, "orders-waiting"),
            std::to_string(onboarding->getObject("orders_waiting")->getValue<int64_t>("count")));
  char median[32], p90[32];
  std::snprintf(median, sizeof median, "%.2f", ttp->getValue<double>("median_s") / kDay);
  std::snprintf(p90, sizeof p90, "%.2f", ttp->getValue<double>("p90_s") / kDay);
  EXPECT_EQ(TextOf(dom, "median-days"), median);
  EXPECT_EQ(TextOf(dom, "p90-days"), p90);
  EXPECT_EQ(TextOf(dom, "median-days"), "46.50");
  // Credentials and deliveries: the same figures as the JSON's sections.
  auto credentials = json.json->getObject("credentials");
  auto secrets = credentials->getObject("secrets");
  EXPECT_EQ(TextOf(dom, "secrets-issued"), std::to_string(secrets->getValue<int64_t>("issued")));
  EXPECT_EQ(TextOf(dom, "secrets-rotated"), std::to_string(secrets->getValue<int64_t>("rotated")));
  EXPECT_EQ(TextOf(dom, "secrets-revoked"), std::to_string(secrets->getValue<int64_t>("revoked")));
  EXPECT_EQ(TextOf(dom, "secrets-expiring"),
            std::to_string(credentials->getArray("secrets_expiring")->size()));
  EXPECT_EQ(TextOf(dom, "certificates-expiring"), "3");  // k61, k65, k62 of the fixture
  EXPECT_EQ(TextOf(dom, "certificates-expiring"),
            std::to_string(credentials->getArray("certificates_expiring")->size()));
  EXPECT_NE(
      dom.find("<td>kid-61</td><td>CN=Cert 61,serialNumber=9610000000</td><td>9610000000</td>"),
      std::string::npos);
  auto sms = json.json->getObject("deliveries")->getObject("sms");
  auto email = json.json->getObject("deliveries")->getObject("email");
  EXPECT_EQ(TextOf(dom, "sms-succeeded"), std::to_string(sms->getValue<int64_t>("succeeded")));
  EXPECT_EQ(TextOf(dom, "sms-failed"), std::to_string(sms->getValue<int64_t>("failed")));
  EXPECT_EQ(TextOf(dom, "sms-success-pct"), "50.0");
  EXPECT_EQ(TextOf(dom, "email-sent"), std::to_string(email->getValue<int64_t>("sent")));
  EXPECT_EQ(TextOf(dom, "email-failed"), std::to_string(email->getValue<int64_t>("failed")));
  EXPECT_EQ(TextOf(dom, "never-fetched"),
            std::to_string(
                json.json->getObject("deliveries")->getArray("packages_never_fetched")->size()));
  EXPECT_EQ(TextOf(dom, "second-downloads"), "1");
  // Charts: one bar per state, per order figure, per actor and per delivery outcome, drawn
  // by the browser as SVG.
  const std::regex rect("<rect ");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(dom.begin(), dom.end(), rect), std::sregex_iterator()),
      4 + 3 + 4 + 4);
  EXPECT_NE(dom.find("<td>alice</td><td>operator</td><td class=\"n\">3</td>"), std::string::npos);
  // And a screenshot renders (the page lays out and paints).
  const std::string png = dir + "/report.png";
  const CliResult shot =
      RunProgram({*chromium, "--headless", "--no-sandbox", "--disable-gpu",
                  "--user-data-dir=" + dir, "--screenshot=" + png, "--window-size=1000,1400", url},
                 {"HOME=" + dir, "PATH=/usr/bin:/bin"}, 90s);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  std::ifstream in(png, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_GT(bytes.size(), 10000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
}

}  // namespace
}  // namespace onboard::testsupport::audit
