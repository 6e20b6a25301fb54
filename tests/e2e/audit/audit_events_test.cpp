// GET /v1/audit/events and GET /v1/clients/{id}/audit against the real service: every
// filter, cursor pagination both ways, JSON/NDJSON/CSV (by format= and by Accept), CSV
// quoting and formula neutralisation, and the life of a client across environments.

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>
#include <thread>

#include "audit_fixture.hpp"
#include "e2e_shared_suite.hpp"
#include "client_fixtures.hpp"
#include "crypto.hpp"

namespace onboard::testsupport::audit {
namespace {

const std::string kOrgA = ValidOrgno(1, 93100000);
const std::string kOrgB = ValidOrgno(2, 93100000);

// One service and a known history shared by the suite (the tests only read).
class AuditEvents : public SharedRigSuite<AuditEvents, AuditService> {
 public:
  static std::unique_ptr<AuditService> StartRig() {
    auto svc = std::make_unique<AuditService>();
    {
      auto conn = svc->db->Connect();
      baseline_ = svc->db->AuditCount();
      auto add = [&](domain::AuditEvent e) {
        const int64_t at = NowUs();
        history_.push_back({AppendAt(*conn, e, at), e, at});
      };
      add(Event("alice", "operator", kOrgA, "organisation.create", kOrgA));
      add(Event("alice", "operator", kOrgA, "client.create", "c-1", "success",
                R"({"client_id":"c-1"})"));
      add(Event("bob", "portal", kOrgB, "client.update", "c-2"));
      add(Event("bob", "portal", kOrgB, "client.update", "c-2", "denied"));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      t1_ = NowUs();
      add(Event("carol", "auditor", "", "audit.checkpoint", "7"));
      add(Event("alice", "operator", kOrgA, "production_order.approve", "o-1", "success",
                R"({"test_client_id":"c-1","production_client_id":"p-1"})"));
      add(Event("system:x", "system", kOrgB, "client.deactivate", "c-2"));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      t2_ = NowUs();
      // Text a spreadsheet would otherwise run, and text that needs RFC 4180 quoting.
      add(Event("=HYPERLINK(\"http://evil\")", "portal", kOrgA, "client.update", "c-3", "success",
                R"({"note":"a, \"quoted\"\nsecond line"})"));
      add(Event("+4791234567", "portal", kOrgA, "client.update", "c-3"));
      add(Event("-1+1", "portal", kOrgA, "client.update", "c-3"));
      add(Event("@SUM(A1)", "portal", kOrgA, "client.update", "c-3"));
    }
    svc->Start();
    return svc;
  }
  static void StopRig(AuditService& svc) { svc.Stop(); }

 protected:
  struct Appended {
    int64_t seq;
    domain::AuditEvent event;
    int64_t at_us;
  };

  static AuditService& svc() { return rig(); }

  static HttpResponse Get(const std::string& query, Headers more = {}) {
    return svc().AuditorGet("/v1/audit/events" + query, std::move(more));
  }
  // The seqs of our own events that satisfy `pred`, newest first.
  template <class Pred>
  static std::vector<int64_t> Expected(Pred pred) {
    std::vector<int64_t> out;
    for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
      if (pred(*it)) out.push_back(it->seq);
    }
    return out;
  }

  static inline std::vector<Appended> history_;
  static inline int64_t baseline_ = 0;
  static inline int64_t t1_ = 0, t2_ = 0;
};

TEST_F(AuditEvents, ListsNewestFirstAsAJsonPageByDefault) {
  const HttpResponse r = Get("?limit=1000");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u);
  const auto seqs = PageSeqs(r);
  ASSERT_EQ(static_cast<int64_t>(seqs.size()), baseline_ + static_cast<int64_t>(history_.size()));
  EXPECT_TRUE(std::is_sorted(seqs.rbegin(), seqs.rend()));
  EXPECT_TRUE(r.json->isNull("next_cursor"));
  auto first = r.json->getArray("items")->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("actor"), "@SUM(A1)");  // JSON is not neutralised
  for (const char* member :
       {"seq", "occurred_at", "actor", "role", "request_id", "source_ip", "organisation", "action",
        "target_type", "target_id", "outcome", "detail", "prev_hash", "hash"}) {
    EXPECT_TRUE(first->has(member)) << member;
  }
}

TEST_F(AuditEvents, FiltersOnActor) {
  EXPECT_EQ(PageSeqs(Get("?actor=alice")),
            Expected([](const Appended& a) { return a.event.actor.name == "alice"; }));
}

TEST_F(AuditEvents, FiltersOnRole) {
  EXPECT_EQ(PageSeqs(Get("?role=portal")),
            Expected([](const Appended& a) { return a.event.actor.role == "portal"; }));
}

TEST_F(AuditEvents, FiltersOnOrganisation) {
  EXPECT_EQ(PageSeqs(Get("?organisation=" + kOrgB)),
            Expected([](const Appended& a) { return a.event.organisation == kOrgB; }));
}

TEST_F(AuditEvents, FiltersOnExactActionAndOnAnActionPrefix) {
  EXPECT_EQ(PageSeqs(Get("?action=client.update")),
            Expected([](const Appended& a) { return a.event.action == "client.update"; }));
  EXPECT_EQ(PageSeqs(Get("?action=client.*")),
            Expected([](const Appended& a) { return a.event.action.rfind("client.", 0) == 0; }));
  // LIKE wildcards in the filter match literally.
  EXPECT_TRUE(PageSeqs(Get("?action=client_update")).empty());
}

TEST_F(AuditEvents, FiltersOnOutcome) {
  EXPECT_EQ(PageSeqs(Get("?outcome=denied")),
            Expected([](const Appended& a) { return a.event.outcome == "denied"; }));
}

TEST_F(AuditEvents, FiltersOnRequestId) {
  const auto& target = history_[2];
  EXPECT_EQ(PageSeqs(Get("?request_id=" + target.event.actor.request_id)),
            std::vector<int64_t>{target.seq});
}

TEST_F(AuditEvents, FiltersOnClientIdAsTargetOrNamedInTheDetail) {
  EXPECT_EQ(PageSeqs(Get("?client_id=c-1")),
            (std::vector<int64_t>{history_[5].seq, history_[1].seq}));
  EXPECT_EQ(PageSeqs(Get("?client_id=p-1")), std::vector<int64_t>{history_[5].seq});
}

TEST_F(AuditEvents, FiltersOnATimeRangeWithTheEndExcluded) {
  const std::string q =
      "?from=" + Enc(domain::Rfc3339FromMicros(t1_)) + "&to=" + Enc(domain::Rfc3339FromMicros(t2_));
  EXPECT_EQ(PageSeqs(Get(q)),
            Expected([](const Appended& a) { return a.at_us >= t1_ && a.at_us < t2_; }));
  const int64_t exact = history_[5].at_us;
  EXPECT_EQ(PageSeqs(Get("?from=" + Enc(domain::Rfc3339FromMicros(exact)) +
                         "&to=" + Enc(domain::Rfc3339FromMicros(exact + 1)))),
            std::vector<int64_t>{history_[5].seq});
}

TEST_F(AuditEvents, CombinesFilters) {
  EXPECT_EQ(PageSeqs(Get("?actor=bob&outcome=success&organisation=" + kOrgB)),
            std::vector<int64_t>{history_[2].seq});
}

TEST_F(AuditEvents, PagesWithACursorNewestFirstAndOldestFirst) {
  for (const std::string order : {"newest", "oldest"}) {
    std::vector<int64_t> all = PageSeqs(Get("?limit=1000&order=" + order));
    std::vector<int64_t> paged;
    std::string cursor;
    int pages = 0;
    while (true) {
      const HttpResponse r =
          Get("?limit=3&order=" + order + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(r.status, 200) << r.Describe();
      const auto page = PageSeqs(r);
      EXPECT_LE(page.size(), 3u);
      paged.insert(paged.end(), page.begin(), page.end());
      ++pages;
      if (r.json->isNull("next_cursor")) break;
      cursor = r.json->getValue<std::string>("next_cursor");
      ASSERT_LT(pages, 100);
    }
    EXPECT_EQ(paged, all) << order;
    EXPECT_EQ(pages, static_cast<int>((all.size() + 2) / 3)) << order;
    if (order == "oldest") {
      EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
    }
  }
}

TEST_F(AuditEvents, ExportsNdjsonByFormatParameterAndByAccept) {
  const std::string q = "?organisation=" + kOrgA;
  const auto expected = Expected([](const Appended& a) { return a.event.organisation == kOrgA; });
  const HttpResponse by_param = Get(q + "&format=ndjson");
  ASSERT_EQ(by_param.status, 200) << by_param.Describe();
  EXPECT_EQ(by_param.content_type, "application/x-ndjson");
  EXPECT_EQ(Seqs(ParseNdjson(by_param.body)), expected);
  const HttpResponse by_accept = Get(q, {{"Accept", "application/x-ndjson"}});
  EXPECT_EQ(by_accept.content_type, "application/x-ndjson");
  EXPECT_EQ(by_accept.body, by_param.body);
}

TEST_F(AuditEvents, ExportsCsvThatQuotesPerRfc4180AndNeutralisesFormulas) {
  const HttpResponse r = Get("?action=client.update&organisation=" + kOrgA + "&order=oldest",
                             {{"Accept", "text/csv"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.content_type.rfind("text/csv", 0), 0u) << r.content_type;
  EXPECT_NE(r.Header("Content-Disposition").find("attachment"), std::string::npos);
  const auto rows = ParseCsv(r.body);
  ASSERT_EQ(rows.size(), 5u) << r.body;
  EXPECT_EQ(rows[0][0], "seq");
  EXPECT_EQ(rows[0].size(), 15u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 15u) << r.body;
  EXPECT_EQ(rows[1][2], "'=HYPERLINK(\"http://evil\")");
  EXPECT_EQ(rows[2][2], "'+4791234567");
  EXPECT_EQ(rows[3][2], "'-1+1");
  EXPECT_EQ(rows[4][2], "'@SUM(A1)");
  EXPECT_EQ(rows[1][12], R"({"note":"a, \"quoted\"\nsecond line"})");
  // The raw text: the formula cell is quoted (it holds quotes) and starts with the apostrophe.
  EXPECT_NE(r.body.find(",\"'=HYPERLINK(\"\"http://evil\"\")\","), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\r\n"), std::string::npos);
  const HttpResponse by_param =
      Get("?action=client.update&organisation=" + kOrgA + "&order=oldest&format=csv");
  EXPECT_EQ(by_param.body, r.body);
}

TEST_F(AuditEvents, CsvAndNdjsonHonourALimit) {
  EXPECT_EQ(ParseCsv(Get("?format=csv&limit=2").body).size(), 3u);
  EXPECT_EQ(ParseNdjson(Get("?format=ndjson&limit=4").body).size(), 4u);
}

TEST_F(AuditEvents, RefusesUnknownParametersAndMalformedFilters) {
  for (const std::string q :
       {"?actr=alice", "?role=king", "?organisation=123", "?from=yesterday", "?limit=0",
        "?limit=1001", "?cursor=abc", "?order=sideways", "?format=xml", "?actor=a&actor=b",
        "?from=2026-02-01&to=2026-01-01"}) {
    const HttpResponse r = Get(q);
    EXPECT_EQ(r.status, 400) << q << " " << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json") << q;
  }
}

TEST_F(AuditEvents, IsForAuditorsAndOperatorsOnly) {
  EXPECT_EQ(svc().http->Get("/v1/audit/events", Bearer(svc().op.secret)).status, 200);
  EXPECT_EQ(svc()
                .http
                ->Get("/v1/audit/events", Bearer(svc().portal.secret, {{"X-Onboard-Org", kOrgA},
                                                                       {"X-Onboard-User", "kari"}}))
                .status,
            403);
  EXPECT_EQ(svc().http->Get("/v1/audit/events").status, 401);
}

// The life of one client: its own events, its production order and the production client
// promoted from it, whichever of the two client ids is asked for.
class ClientAudit : public ::testing::Test {};

TEST_F(ClientAudit, FollowsAClientFromTestToProductionThroughItsOrder) {
  AuditService svc;
  const std::string org = ValidOrgno(7, 93200000);
  svc.Start();
  ASSERT_EQ(
      svc.http
          ->Post(
              "/v1/organisations",
              R"({"orgno":")" + org +
                  R"(","name":"Etat","contacts":[{"name":"Kari","email":"k@example.no","mobile":"+4791234567","role":"technical"}]})",
              Bearer(svc.op.secret))
          .status,
      201);
  auto create = [&](const std::string& name) {
    const HttpResponse r =
        svc.http->Post("/v1/clients", Json(LoginClient(org, name)), Bearer(svc.op.secret));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : std::string();
  };
  const std::string test_client = create("Tjeneste");
  const std::string other_client = create("Annen");
  ASSERT_FALSE(test_client.empty());
  // The production side as an approved order leaves it: a production client row and the
  // order naming both clients.
  const std::string prod_client = crypto::NewUuid();
  const std::string onboarding = crypto::NewUuid();
  const std::string order = crypto::NewUuid();
  ExecSql(svc.db->url(),
          "INSERT INTO clients (client_id, environment, organisation, integration_type, "
          "client_name, state, metadata, "
          "registration_channel, created_by) VALUES ('" +
              prod_client + "', 'production', '" + org +
              "', 'idporten', 'Tjeneste', 'awaiting_credentials', '{}', 'production_order', "
              "'audit-operator');"
              "INSERT INTO onboardings (id, organisation, service_name, created_by) VALUES ('" +
              onboarding + "', '" + org +
              "', 'Tjeneste', 'audit-operator');"
              "INSERT INTO production_orders (id, onboarding_id, organisation, test_client_id, "
              "state, delivery_method, "
              "proposed_metadata, entered_by, entered_by_role, production_client_id) VALUES ('" +
              order + "', '" + onboarding + "', '" + org + "', '" + test_client +
              "', 'approved', 'certificate', '{}', 'audit-operator', "
              "'operator', '" +
              prod_client + "')");
  auto conn = svc.db->Connect();
  const int64_t submit =
      AppendAt(*conn, Event("audit-operator", "operator", org, "production_order.submit", order));
  const int64_t approve = AppendAt(
      *conn, Event("audit-operator", "operator", org, "production_order.approve", order, "success",
                   R"({"production_client_id":")" + prod_client + R"(","test_client_id":")" +
                       test_client + R"("})"));
  const int64_t prod_update =
      AppendAt(*conn, Event("audit-operator", "operator", org, "client.update", prod_client));

  const HttpResponse by_test = svc.AuditorGet("/v1/clients/" + test_client + "/audit?order=oldest");
  ASSERT_EQ(by_test.status, 200) << by_test.Describe();
  const auto seqs = PageSeqs(by_test);
  ASSERT_GE(seqs.size(), 4u);
  EXPECT_EQ(std::vector<int64_t>(seqs.end() - 3, seqs.end()),
            (std::vector<int64_t>{submit, approve, prod_update}));
  std::set<std::string> targets;
  auto items = by_test.json->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    targets.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("target_id"));
  }
  EXPECT_TRUE(targets.contains(test_client));
  EXPECT_FALSE(targets.contains(other_client));
  const HttpResponse by_prod = svc.AuditorGet("/v1/clients/" + prod_client + "/audit?order=oldest");
  EXPECT_EQ(PageSeqs(by_prod), seqs);
  EXPECT_EQ(
      ParseCsv(svc.AuditorGet("/v1/clients/" + prod_client + "/audit?format=csv").body).size(),
      seqs.size() + 1);
  EXPECT_EQ(svc.AuditorGet("/v1/clients/" + crypto::NewUuid() + "/audit").status, 404);
  EXPECT_EQ(svc.AuditorGet("/v1/clients/not-a-uuid/audit").status, 404);
  EXPECT_EQ(svc.AuditorGet("/v1/clients/" + test_client + "/audit?client_id=x").status, 400);
  svc.Stop();
}

}  // namespace
}  // namespace onboard::testsupport::audit
