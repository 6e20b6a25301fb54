// Dependencies under load (issue #8): while eight client threads keep issuing production
// secrets, the SMS provider fails (5xx, answers after the courier's timeout, 429 with
// Retry-After, then a sustained 503 outage: onboard-dev-sms fault injection) and the SMTP
// server is down (aiosmtpd stopped). The API keeps answering (issuance does not wait for
// SMS or SMTP), GET /v1/deliveries/{id} shows the failures while they last, and once both
// are back every delivery completes exactly once: one SMS, one e-mail each.
// tests/e2e/delivery_reliability_test.cpp covers each fault on its own with one courier
// and hand-made deliveries; this is the same under concurrent load through the API.

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

#include "client_fixtures.hpp"
#include "issuance_load.hpp"

namespace onboard::testsupport {
namespace {

using load::Instance;
using load::Issuance;
using Clock = std::chrono::steady_clock;

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// The courier's progress on one message of a delivery, as GET /v1/deliveries/{id} shows it.
Poco::JSON::Object::Ptr Transport(const HttpResponse& r, const std::string& step) {
  if (r.status != 200 || !r.json) return nullptr;
  auto steps = r.json->getObject("steps");
  auto s = steps ? steps->getObject(step) : nullptr;
  return s ? s->getObject("transport") : nullptr;
}

TEST(DependenciesUnderLoad, SmsAndSmtpOutagesDelayButNeitherLoseNorDoubleAnyDelivery) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5;
  const std::unique_ptr<DeliveryRig> rig_holder = load::StartRig();
  ASSERT_TRUE(rig_holder) << "(see above)";
  DeliveryRig& rig = *rig_holder;
  rig.StartSmtp();
  rig.StartCourier();
  auto courier2 = rig.ExtraCourier("courier-b");
  load::Issuer issuer(rig);
  const std::vector<Instance> api{{"api-1", &rig.http()}};

  // Production clients by the real journey; their first deliveries go out normally.
  const std::vector<Issuance> approvals = issuer.ApproveNewOrders(kThreads, kThreads, api);
  std::vector<std::string> approval_ids;
  for (const auto& a : approvals) {
    ASSERT_TRUE(a.ok()) << a.problem;
    approval_ids.push_back(a.delivery_id);
  }
  ASSERT_TRUE(load::WaitForOutboxSettled(rig, approval_ids, std::chrono::seconds(60)));

  // Both peers fail: SMS provider 5xx, answers after the 1 s courier timeout (the message
  // is stored first, so a resend would double it), 429 + Retry-After, then 503 until we
  // clear it; SMTP refuses connections.
  rig.SetFaults(R"({"faults": [{"kind": "status", "status": 500, "count": 8},
                               {"kind": "hang", "ms": 1500, "count": 4},
                               {"kind": "rate_limit", "retry_after_s": 1, "count": 6},
                               {"kind": "status", "status": 502, "count": 4},
                               {"kind": "hang", "ms": 1500, "count": 4},
                               {"kind": "status", "status": 503, "count": 100000}]})");
  rig.StopSmtp();
  const auto outage_started = Clock::now();

  std::mutex mutex;
  std::vector<Issuance> during;
  load::RunConcurrently(kThreads, kPerThread, [&](int t, int) {
    Issuance i = issuer.IssueSecret(approvals[static_cast<std::size_t>(t)].client_id, api[0]);
    std::lock_guard<std::mutex> lock(mutex);
    during.push_back(i);
  });
  const auto issued_in = Clock::now() - outage_started;
  std::vector<std::string> ids;
  for (const auto& i : during) {
    EXPECT_EQ(i.status, 202) << "issuance must not depend on the SMS provider or SMTP: "
                             << i.problem;
    if (i.ok()) ids.push_back(i.delivery_id);
  }
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));

  // While the outage lasts the delivery view shows it: attempts, the last error, the next try.
  const std::string watched = ids.back();
  HttpResponse view;
  const bool visible = WaitUntil(
      [&] {
        view = rig.http().Get("/v1/deliveries/" + watched, issuer.Operator());
        auto sms = Transport(view, "sms");
        auto email = Transport(view, "email");
        return sms && email && sms->getValue<int>("attempts") >= 2 && !sms->isNull("last_error") &&
               email->getValue<int>("attempts") >= 2 && !email->isNull("last_error");
      },
      std::chrono::seconds(60), std::chrono::milliseconds(100));
  ASSERT_TRUE(visible) << "GET /v1/deliveries/" << watched
                       << " never showed the failing attempts: " << view.Describe();
  EXPECT_EQ(view.json->getValue<std::string>("state"), "in_progress");
  EXPECT_EQ(view.json->getObject("steps")->getObject("sms")->getValue<std::string>("state"),
            "queued");
  EXPECT_NE(Transport(view, "sms")->getValue<std::string>("state"), "done");
  EXPECT_FALSE(
      Transport(view, "email")->getObject("last_error")->getValue<std::string>("code").empty());
  std::cerr << "[dependencies] during the outage: " << view.body << "\n";
  EXPECT_EQ(QueryInt(rig.db().url(),
                     "SELECT count(*) FROM outbox WHERE kind = 'email' AND state <> 'pending' AND "
                     "state <> 'sending' AND delivery_id::text IN (" +
                         load::InList(ids) + ")"),
            0)
      << "no e-mail can have gone out (or failed for good) while SMTP is down";

  // Every kind of failure was met, and the API answered all along.
  ASSERT_TRUE(WaitUntil(
      [&] {
        const std::string l = rig.CourierLogs() + courier2->log();
        return Count(l, "\"http_status\":503") >= 2;
      },
      std::chrono::seconds(60)))
      << "the couriers never met the sustained 503 outage";
  const std::string seen = rig.CourierLogs() + courier2->log();
  EXPECT_GE(Count(seen, "\"http_status\":500"), 1);
  EXPECT_GE(Count(seen, "\"code\":\"timeout\""), 1);
  EXPECT_GE(Count(seen, "\"code\":\"20429\""), 1);
  const HttpResponse ready = rig.http().Get("/readyz");
  EXPECT_EQ(ready.status, 200) << "the API stays ready while SMS and SMTP are down: "
                               << ready.Describe();
  EXPECT_TRUE(rig.Messages().size() <= approvals.size() + 8)
      << "during the outage only the 'hang' faults (stored first, answered late) reach a phone";

  // Both come back.
  const auto restored_at = Clock::now();
  rig.SetFaults(R"({"faults": []})");
  rig.StartSmtp();
  std::vector<std::string> every = approval_ids;
  every.insert(every.end(), ids.begin(), ids.end());
  ASSERT_TRUE(load::WaitForOutboxSettled(rig, every, std::chrono::seconds(120)))
      << "not every SMS and e-mail went out within 120 s of the peers' return";
  const auto recovered_in = Clock::now() - restored_at;
  std::vector<Issuance> all = approvals;
  all.insert(all.end(), during.begin(), during.end());
  EXPECT_EQ(load::ExpectEachSentOnce(rig, all), 0)
      << "aiosmtpd was stopped between sessions, so no e-mail should arrive twice";

  view = rig.http().Get("/v1/deliveries/" + watched, issuer.Operator());
  ASSERT_EQ(view.status, 200) << view.Describe();
  EXPECT_EQ(Transport(view, "sms")->getValue<std::string>("state"), "done");
  EXPECT_TRUE(Transport(view, "sms")->isNull("last_error")) << view.body;
  EXPECT_TRUE(Transport(view, "email")->isNull("last_error")) << view.body;
  EXPECT_EQ(view.json->getObject("steps")->getObject("email")->getValue<std::string>("state"),
            "sent");
  EXPECT_TRUE(rig.db().VerifyAudit().intact);
  EXPECT_EQ(courier2->Terminate(std::chrono::seconds(10)), std::optional<int>(0))
      << courier2->log();
  std::cerr << "[dependencies] " << during.size() << " issuances during the outage in "
            << load::Ms(issued_in) << " ms (" << load::LatencySummary(during) << "); outage lasted "
            << load::Ms(restored_at - outage_started) << " ms; everything sent "
            << load::Ms(recovered_in)
            << " ms after the peers returned; courier log: " << Count(seen, "\"http_status\":500")
            << "x 500, " << Count(seen, "\"http_status\":503") << "x 503, "
            << Count(seen, "\"code\":\"timeout\"") << "x timeout, "
            << Count(seen, "\"code\":\"20429\"") << "x 429, " << Count(seen, "\"kind\":\"email\"")
            << " e-mail log lines\n";
  if (HasFailure()) rig.PrintLogs();
}

}  // namespace
}  // namespace onboard::testsupport
