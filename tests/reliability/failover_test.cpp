// Database failover (issue #20): PostgreSQL streaming replication with a synchronous hot
// standby (tests/reliability/failover_cluster.sh makes both and points the whole rig at
// libpq's multi-host URL with target_session_attrs=read-write). Eight clients register test
// clients and issue production secrets while the primary is stopped hard (pg_ctl stop -m
// immediate) and the standby promoted. Checks: every request answered 2xx is in the
// promoted database (nothing acknowledged is lost), the audit chain verifies, requests
// during the switch are answered 503 with Retry-After, writes succeed again within 10 s of
// the promotion, and the courier, which never restarts, sends each SMS exactly once
// (counted at onboard-dev-sms).

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "client_fixtures.hpp"
#include "issuance_load.hpp"

namespace onboard::testsupport {
namespace {

using load::Instance;
using load::Issuance;
using Clock = std::chrono::steady_clock;

// One request of the load: a registration or an issuance, when it ran and what came back.
struct Outcome {
  bool issuance = false;
  Issuance issued;        // issuance: contact, client, and from a 202 its delivery
  std::string client_id;  // registration: the new client from a 201
  int status = 0;
  std::string retry_after;
  std::string problem;
  Clock::time_point started, finished;
  bool ok() const { return status >= 200 && status < 300; }
};

// Runs the cluster script's subcommand (stop-primary, promote) on the test's state.
void Cluster(const std::string& what) {
  const char* ctl = std::getenv("ONBOARD_FAILOVER_CTL");
  const char* state = std::getenv("ONBOARD_FAILOVER_STATE");
  ASSERT_TRUE(ctl != nullptr && state != nullptr)
      << "run through tests/reliability/failover_cluster.sh (ctest reliability.Failover)";
  const std::string command = std::string("bash '") + ctl + "' " + what + " '" + state + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(Failover, PromotingTheSynchronousStandbyLosesNothingAcknowledgedAndSendsEachSmsOnce) {
  ASSERT_NE(std::getenv("ONBOARD_FAILOVER_STATE"), nullptr)
      << "run through tests/reliability/failover_cluster.sh (ctest reliability.Failover)";
  constexpr int kClients = 8;
  const std::unique_ptr<DeliveryRig> rig_holder = load::StartRig();
  ASSERT_TRUE(rig_holder) << "(see above)";
  DeliveryRig& rig = *rig_holder;
  const std::string url = rig.db().url();
  ASSERT_NE(url.find("target_session_attrs=read-write"), std::string::npos) << url;
  const std::map<std::string, std::string> sized{{"ONBOARD_HTTP_MAX_THREADS", "24"},
                                                 {"ONBOARD_DATABASE_POOL_SIZE", "8"},
                                                 {"ONBOARD_DATABASE_CONNECT_TIMEOUT_S", "2"},
                                                 {"ONBOARD_DATABASE_RETRY_AFTER_S", "1"}};
  rig.RestartApi(sized);
  rig.StartSmtp();
  rig.StartCourier({{"ONBOARD_DATABASE_CONNECT_TIMEOUT_S", "2"}});
  load::Issuer issuer(rig);
  const std::vector<Instance> api{{"api-1", &rig.http()}};

  const std::vector<Issuance> approvals = issuer.ApproveNewOrders(kClients, kClients, api);
  for (const auto& a : approvals) ASSERT_TRUE(a.ok()) << a.problem;

  // Eight clients, each alternating a registration and an issuance until told to stop.
  std::atomic<int> answered{0};
  load::UntilStopped<Outcome> clients(kClients, [&](int t, int i) {
    const std::string orgno = ValidOrgno(t, 98000000);  // the organisation of approval t
    Outcome o;
    o.issuance = i % 2 == 1;
    o.started = Clock::now();
    try {
      HttpResponse r;
      if (o.issuance) {
        // As load::Issuer::IssueSecret, keeping the answer's headers.
        auto& is = o.issued;
        std::tie(is.mobile, is.email) = issuer.NewContact();
        is.client_id = approvals[static_cast<std::size_t>(t)].client_id;
        is.api = api[0].name;
        Poco::JSON::Object body;
        body.set("mobile", is.mobile);
        body.set("email", is.email);
        r = rig.http().Post("/v1/clients/" + is.client_id + "/secret", Json(body),
                            issuer.Operator());
        is.status = r.status;
        if (r.status == 202 && r.json) {
          is.delivery_id = r.json->getValue<std::string>("delivery_id");
          is.secret_id = r.json->getValue<std::string>("secret_id");
        }
      } else {
        r = rig.http().Post("/v1/clients",
                            Json(LoginClient(orgno, "Failover " + std::to_string(i))),
                            issuer.Operator());
        if (r.status == 201 && r.json) o.client_id = r.json->getValue<std::string>("client_id");
      }
      o.status = r.status;
      o.retry_after = r.Header("Retry-After");
      if (!o.ok()) o.problem = r.Describe();
    } catch (const std::exception& e) {
      o.problem = std::string("no answer: ") + e.what();
    }
    o.finished = Clock::now();
    if (o.ok()) ++answered;
    const bool unavailable = o.status == 503 || o.status == 0;
    // A well-behaved client waits before it tries again (Retry-After is 1 s here; a
    // shorter pause samples the switch more finely).
    if (unavailable) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return o;
  });
  const bool warmed = WaitUntil([&] { return answered >= 48; }, std::chrono::seconds(90),
                                std::chrono::milliseconds(5));
  Cluster("stop-primary");
  const auto stopped_at = Clock::now();
  // The switch: an operator (or a cluster manager) notices and promotes the standby.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto promote_started = Clock::now();
  Cluster("promote");
  const auto promoted_at = Clock::now();
  // Counted from the promotion: requests keep succeeding while `pg_ctl stop` is still on
  // its way, and on a fast host those alone used to reach the 48 (no write after the
  // promotion was then seen at all).
  const int at_promotion = answered;
  const bool served_again = WaitUntil([&] { return answered >= at_promotion + 48; },
                                      std::chrono::seconds(90), std::chrono::milliseconds(5));
  const std::vector<Outcome> all = clients.Stop();
  ASSERT_TRUE(warmed) << "fewer than 48 requests succeeded before the primary stopped";
  ASSERT_TRUE(served_again) << "fewer than 48 requests succeeded after the promotion";

  // Answers: 2xx, or 503 with Retry-After while no primary accepts writes. The API never
  // stops, so every request is answered.
  std::vector<Issuance> complete = approvals, absent;
  std::vector<std::string> registered;
  int unavailable = 0, ok = 0;
  Clock::time_point first_503 = Clock::time_point::max(), last_503 = Clock::time_point::min();
  Clock::time_point first_write_after_promotion = Clock::time_point::max();
  auto conn = Connect(url);
  for (const auto& o : all) {
    if (o.ok()) {
      ++ok;
      if (o.started >= promoted_at)
        first_write_after_promotion = std::min(first_write_after_promotion, o.finished);
      if (o.issuance) {
        complete.push_back(o.issued);
      } else {
        registered.push_back(o.client_id);
      }
      continue;
    }
    ++unavailable;
    first_503 = std::min(first_503, o.started);
    last_503 = std::max(last_503, o.finished);
    EXPECT_EQ(o.status, 503) << "during the switch a request is answered 503: " << o.problem;
    EXPECT_FALSE(o.retry_after.empty()) << "a 503 says when to retry: " << o.problem;
    if (!o.issuance) continue;
    // A commit whose answer was lost with the primary may still be there: the client looks
    // it up (GET /v1/clients/{id}/secrets); here it counts as complete or absent.
    const auto id = conn->ExecSimple("SELECT id::text FROM deliveries WHERE mobile = " +
                                     SqlLiteral(o.issued.mobile))
                        .Opt(0, 0);
    Issuance i = o.issued;
    if (id) {
      i.delivery_id = *id;
      complete.push_back(i);
    } else {
      absent.push_back(i);
    }
  }
  EXPECT_GT(unavailable, 0) << "no request fell into the switch: the test proved nothing";

  // Nothing acknowledged is lost: every 2xx registration and issuance is in the promoted
  // database, whole.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM clients WHERE client_id IN (" +
                              load::InList(registered) + ")"),
            static_cast<int64_t>(registered.size()))
      << "a registration answered 201 is missing after the failover";
  // Events the old primary sealed without waiting for the standby are still queued on the
  // new one (their queue rows committed synchronously): the sweeper seals them there.
  ASSERT_TRUE(WaitUntil([&] { return QueryInt(url, "SELECT count(*) FROM audit_queue") == 0; },
                        std::chrono::seconds(30)))
      << "audit events left queued were not sealed on the new primary";
  load::ExpectComplete(rig, complete);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM client_secrets s JOIN clients c ON c.client_id = "
                     "s.client_id WHERE c.environment = 'production' AND NOT EXISTS (SELECT 1 "
                     "FROM deliveries d WHERE d.secret_id = s.secret_id)"),
            0)
      << "a production secret without its delivery (a half-written issuance)";
  const auto chain = rig.db().VerifyAudit();
  EXPECT_TRUE(chain.intact) << "the audit chain does not verify after the failover";

  // Writes again within 10 s of the promotion.
  ASSERT_NE(first_write_after_promotion, Clock::time_point::max());
  const int64_t recovery_ms = load::Ms(first_write_after_promotion - promoted_at);
  EXPECT_LE(recovery_ms, 10000) << "writes succeed again within 10 s of the promotion";

  // The courier (never restarted) goes on against the new primary: each SMS exactly once.
  std::vector<std::string> ids;
  for (const auto& c : complete) ids.push_back(c.delivery_id);
  ASSERT_TRUE(load::WaitForOutboxSettled(rig, ids, std::chrono::seconds(120)))
      << "not every SMS and e-mail went out within 120 s of the failover";
  const int extra_mails = load::ExpectEachSentOnce(rig, complete, absent);
  ASSERT_NE(rig.courier(), nullptr);
  EXPECT_TRUE(rig.courier()->running()) << "the courier stopped during the failover";

  std::cerr << "[failover] " << all.size() << " requests by " << kClients << " clients: " << ok
            << " answered 2xx (" << at_promotion << " before the promotion), " << unavailable
            << " answered 503; 503s from " << load::Ms(first_503 - stopped_at) << " ms to "
            << load::Ms(last_503 - stopped_at)
            << " ms after the stop; promotion (pg_ctl promote -w) "
            << load::Ms(promoted_at - promote_started) << " ms, started "
            << load::Ms(promote_started - stopped_at)
            << " ms after the stop; first write answered 2xx " << recovery_ms
            << " ms after the promotion; " << complete.size() << " deliveries, each SMS sent once"
            << " (" << extra_mails << " e-mail copies sent again, SMTP is at-least-once); "
            << absent.size() << " issuances absent; " << registered.size()
            << " registrations kept\n";
  if (HasFailure()) rig.PrintLogs();
}

}  // namespace
}  // namespace onboard::testsupport
