// Crash (issue #8): onboard-api is SIGKILLed while 32 client threads issue production
// secrets (sms_zip), then restarted on the same port. Every issuance is either complete
// (secret hash, delivery, SMS and e-mail outbox rows, audit event) or absent; a request
// that got a 2xx is complete; the two couriers then send exactly one SMS (and one e-mail)
// per complete delivery and nothing for the absent ones (counted at onboard-dev-sms and
// in aiosmtpd's Maildir).

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "client_fixtures.hpp"
#include "issuance_load.hpp"

namespace onboard::testsupport {
namespace {

using load::Instance;
using load::Issuance;
using load::Ms;
using Clock = std::chrono::steady_clock;

TEST(ApiCrash, KilledMidIssuanceLeavesEachIssuanceCompleteOrAbsentAndEachCompleteOneSentOnce) {
  constexpr int kThreads = 32;
  const std::unique_ptr<DeliveryRig> rig_holder = load::StartRig();
  ASSERT_TRUE(rig_holder) << "(see above)";
  DeliveryRig& rig = *rig_holder;
  // As many request threads as clients, so the only failures are the crash's own (with
  // the default 16, the 17th waiting connection is answered 503 overloaded: documented).
  const std::map<std::string, std::string> sized{{"ONBOARD_HTTP_MAX_THREADS", "40"},
                                                 {"ONBOARD_DATABASE_POOL_SIZE", "8"}};
  rig.RestartApi(sized);
  rig.StartSmtp();
  rig.StartCourier();
  auto courier2 = rig.ExtraCourier("courier-b");
  load::Issuer issuer(rig);
  const std::string url = rig.db().url();
  const std::vector<Instance> api{{"api-1", &rig.http()}};

  // One production client per thread, by the real journey (eight at a time).
  const std::vector<Issuance> approvals = issuer.ApproveNewOrders(kThreads, 8, api);
  for (const auto& a : approvals) ASSERT_TRUE(a.ok()) << a.problem;

  // 32 threads issue secrets until told to stop; the API dies under them and comes back.
  std::atomic<int> answered{0};
  load::UntilStopped<Issuance> clients(kThreads, [&](int t, int) {
    Issuance issued = issuer.IssueSecret(approvals[static_cast<std::size_t>(t)].client_id, api[0]);
    if (issued.ok()) ++answered;
    // Nobody listening, or busy (503 + Retry-After): a well-behaved client backs off.
    if (issued.status == 0 || issued.status == 503) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return issued;
  });
  const auto load_started = Clock::now();
  const bool warmed = WaitUntil([&] { return answered >= 64; }, std::chrono::seconds(60),
                                std::chrono::milliseconds(5));
  const int before_kill = answered;
  rig.KillApi();
  const auto killed_at = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::optional<std::string> restart_error;
  try {
    rig.RestartApi(sized);
  } catch (const std::exception& e) {
    restart_error = e.what();
  }
  const auto restarted_at = Clock::now();
  const bool served_again = WaitUntil([&] { return answered >= before_kill + 64; },
                                      std::chrono::seconds(60), std::chrono::milliseconds(5));
  std::vector<Issuance> all = clients.Stop();
  const auto load_took = Clock::now() - load_started;
  ASSERT_TRUE(warmed) << "fewer than 64 issuances succeeded before the kill";
  ASSERT_FALSE(restart_error) << "onboard-api did not come back after SIGKILL: " << *restart_error;
  ASSERT_TRUE(served_again) << "the restarted onboard-api did not serve 64 more issuances";

  // Classify: every request is complete (a 2xx must be) or leaves nothing behind. A lost
  // connection (status 0) is the documented failure of a crash: the client cannot know,
  // and finds out from GET /v1/clients/{id}/secrets.
  std::vector<Issuance> complete = approvals;
  std::vector<Issuance> absent;
  int ok = 0, lost = 0, lost_but_committed = 0;
  auto conn = Connect(url);
  for (auto& i : all) {
    if (i.ok()) {
      ++ok;
      complete.push_back(i);
      continue;
    }
    EXPECT_EQ(i.status, 0) << "the only failure a crash may cause is a lost connection: "
                           << i.problem;
    if (i.status != 0) continue;
    ++lost;
    const auto id =
        conn->ExecSimple("SELECT id::text FROM deliveries WHERE mobile = " + SqlLiteral(i.mobile))
            .Opt(0, 0);
    if (id) {
      ++lost_but_committed;
      i.delivery_id = *id;
      complete.push_back(i);
    } else {
      EXPECT_EQ(conn->ExecSimple("SELECT count(*) FROM outbox WHERE recipient IN (" +
                                 load::InList({i.mobile, i.email}) + ")")
                    .Opt(0, 0),
                "0")
          << "no delivery, so no outbox row either, for " << i.mobile;
      absent.push_back(i);
    }
  }
  // The restarted instance seals what the killed one committed but left in the queue.
  ASSERT_TRUE(WaitUntil([&] { return QueryInt(url, "SELECT count(*) FROM audit_queue") == 0; },
                        std::chrono::seconds(30)))
      << "audit events left queued by the killed instance were not sealed";
  load::ExpectComplete(rig, complete);
  EXPECT_EQ(
      QueryInt(
          url,
          "SELECT count(*) FROM client_secrets s JOIN clients c ON c.client_id = s.client_id WHERE "
          "c.environment = 'production' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE "
          "d.secret_id = s.secret_id)"),
      0)
      << "a production secret without its delivery (a half-written issuance)";
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM deliveries"), static_cast<int64_t>(complete.size()))
      << "a delivery that no request accounts for";
  EXPECT_TRUE(rig.db().VerifyAudit().intact);

  std::vector<std::string> ids;
  for (const auto& c : complete) ids.push_back(c.delivery_id);
  ASSERT_TRUE(load::WaitForOutboxSettled(rig, ids, std::chrono::seconds(120)))
      << "not every SMS and e-mail went out within 120 s";
  EXPECT_EQ(load::ExpectEachSentOnce(rig, complete, absent), 0) << "no e-mail arrived twice";
  EXPECT_EQ(courier2->Terminate(std::chrono::seconds(10)), std::optional<int>(0))
      << courier2->log();
  std::cerr << "[crash] outcomes: " << load::Outcomes(all) << "; latency "
            << load::LatencySummary(all) << "\n";
  std::cerr << "[crash] " << all.size() << " issuance requests by " << kThreads << " threads over "
            << Ms(load_took) << " ms: " << ok << " answered 2xx (" << before_kill
            << " before the kill), " << lost << " lost their connection (" << lost_but_committed
            << " of them committed before the kill), " << absent.size() << " absent; restart took "
            << Ms(restarted_at - killed_at) << " ms; " << complete.size()
            << " deliveries sent once each\n";
  if (HasFailure()) rig.PrintLogs();
}

}  // namespace
}  // namespace onboard::testsupport
