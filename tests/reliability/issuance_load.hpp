#pragma once

// Production secret issuance under load, for the scale-out, crash and dependency tests
// (issue #8): the real journey to approved sms_zip production orders, concurrent
// POST /v1/clients/{id}/secret calls over one or more onboard-api instances, and the checks
// that every issuance is complete or absent and that its SMS and e-mail went out exactly
// once (counted at onboard-dev-sms's GET /messages and in aiosmtpd's Maildir).

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "delivery_rig.hpp"
#include "test_support.hpp"

namespace onboard::testsupport::load {

/// One issuance request and what came of it.
struct Issuance {
  std::string client_id;
  std::string mobile;       ///< unique per request: how its SMS is found at the provider
  std::string email;        ///< unique per request: how its e-mail is found in the Maildir
  std::string api;          ///< which instance answered ("api-1", "api-2")
  int status = 0;           ///< 0: no answer (connection refused or cut off)
  std::string delivery_id;  ///< from a 2xx answer
  std::string secret_id;    ///< from a 2xx answer
  std::string problem;      ///< the answer (or the exception) when it was not a 2xx
  std::chrono::milliseconds took{0};
  bool ok() const { return status >= 200 && status < 300; }
};

/// An onboard-api instance as the load sees it.
struct Instance {
  std::string name;
  const HttpClient* http = nullptr;
};

class Issuer {
 public:
  explicit Issuer(DeliveryRig& rig);

  Headers Operator() const { return Bearer(operator_.secret); }
  Headers Approver() const { return Bearer(approver_.secret); }
  Headers Provider() const { return Bearer(provider_.secret); }
  Headers Auditor() const { return Bearer(auditor_.secret); }

  /// A mobile number and an e-mail address no other call returned (thread-safe).
  std::pair<std::string, std::string> NewContact();

  /// The journey to an approved sms_zip production order for the n-th organisation, step i
  /// sent to instances[(first + i) % size]: organisation, test client, verification run,
  /// onboarding case, terms, production order, approval by a second operator. Returns the
  /// approval (its delivery carries the first production secret); client_id is the new
  /// production client. Any failing step is in `problem` (status of that step).
  Issuance ApproveNewOrder(int n, const std::vector<Instance>& instances, std::size_t first);

  /// ApproveNewOrder for organisations 0 .. count-1 on `threads` threads (count a multiple
  /// of threads), every journey starting at instances[0]; the approvals in that order.
  std::vector<Issuance> ApproveNewOrders(int count, int threads,
                                         const std::vector<Instance>& instances);

  /// POST /v1/clients/{client_id}/secret (sms_zip: e-mail + SMS) with a fresh contact.
  /// Never throws: a lost connection is status 0.
  Issuance IssueSecret(const std::string& client_id, const Instance& instance);

 private:
  DeliveryRig& rig_;
  TestToken operator_, approver_, provider_, auditor_;
  std::string tested_at_;
  std::atomic<int> next_contact_{0};
};

/// A DeliveryRig of its own for a load test (extra API settings in `api_env`); nullptr, after
/// failing the test, when it does not start.
std::unique_ptr<DeliveryRig> StartRig(const std::map<std::string, std::string>& api_env = {});

/// Whole milliseconds of `d`, for the tests' summaries.
int64_t Ms(std::chrono::steady_clock::duration d);

/// Runs `work(thread, iteration)` on `threads` threads, `iterations` times each, and joins.
void RunConcurrently(int threads, int iterations, const std::function<void(int, int)>& work);

/// `threads` threads, each calling `request(thread, i)` for i = 0, 1, ... until Stop(): the
/// clients that keep calling the API while a test breaks something under them (a request
/// that finds the API unavailable backs off inside `request`). Stop() joins them and returns
/// every result; the destructor stops them too, so a failed assertion never leaves a thread
/// running.
template <class Result>
class UntilStopped {
 public:
  UntilStopped(int threads, std::function<Result(int, int)> request)
      : request_(std::move(request)) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] {
        std::vector<Result> mine;
        for (int i = 0; !stop_; ++i) mine.push_back(request_(t, i));
        std::lock_guard<std::mutex> lock(mutex_);
        all_.insert(all_.end(), mine.begin(), mine.end());
      });
    }
  }
  ~UntilStopped() { Stop(); }
  UntilStopped(const UntilStopped&) = delete;
  UntilStopped& operator=(const UntilStopped&) = delete;

  /// Every result so far, once every thread has finished its last request.
  std::vector<Result> Stop() {
    stop_ = true;
    for (auto& th : threads_) {
      if (th.joinable()) th.join();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return all_;
  }

 private:
  std::function<Result(int, int)> request_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Result> all_;
  std::vector<std::thread> threads_;
};

/// Polls until no SMS or e-mail outbox row of `delivery_ids` is pending or sending.
bool WaitForOutboxSettled(DeliveryRig& rig, const std::vector<std::string>& delivery_ids,
                          std::chrono::milliseconds timeout);

/// Every listed issuance is complete in the database: its secret hash, its delivery with
/// one SMS and one e-mail outbox row, its client.secret_issue (or approval) audit event.
void ExpectComplete(DeliveryRig& rig, const std::vector<Issuance>& issued);

/// Exactly one SMS per delivery at the provider (matched on its unique mobile, with the
/// sid the delivery recorded), exactly one e-mail (one Message-ID naming the delivery,
/// the package attached) per delivery, both outbox rows done; no SMS and no e-mail at all
/// for `absent` contacts, and nothing to anyone else. Returns how many extra copies of an
/// already received e-mail arrived (SMTP is at-least-once; see README).
int ExpectEachSentOnce(DeliveryRig& rig, const std::vector<Issuance>& delivered,
                       const std::vector<Issuance>& absent = {});

/// "p50/p99/max ms" of the answers' latencies.
std::string LatencySummary(const std::vector<Issuance>& all);

/// "n x status" counts (with the reason of lost connections), for the test's summary.
std::string Outcomes(const std::vector<Issuance>& all);

/// `sql IN (...)` list of quoted ids.
std::string InList(const std::vector<std::string>& ids);

}  // namespace onboard::testsupport::load
