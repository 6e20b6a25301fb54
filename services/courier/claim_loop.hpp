#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "error.hpp"
#include "log.hpp"

/// The claiming loop both couriers run (the delivery outbox and the notification outbox):
/// rounds of claim, process one by one, record; rows given back when told to stop.
namespace onboard::courier {

/// Tells the workers to stop; wakes any that sleep. Thread-safe.
class StopSignal {
 public:
  void Stop();
  bool stopped() const noexcept { return stopped_.load(); }
  /// Sleeps up to `d`, less when stopped meanwhile.
  void SleepFor(std::chrono::milliseconds d);

 private:
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
};

/// A worker of one outbox, one per thread: rounds of claiming and processing rows.
class ClaimingWorker {
 public:
  virtual ~ClaimingWorker() = default;

  /// Loops rounds until `stop`, sleeping courier.poll_interval_ms after a round that claimed
  /// nothing or failed. A failed round is logged and waited out: an AppError (the database
  /// away) as a warning "<what> round failed; retrying after the poll interval", anything
  /// else as an error "<what> round failed unexpectedly".
  void Run(StopSignal& stop);
  /// One round: claims and processes up to courier.batch_size rows; returns how many it
  /// claimed. Rows left when `stop` fires are given back.
  virtual int RunOnce(StopSignal& stop) = 0;

 protected:
  /// `what` names the worker's rounds in the log ("courier", "notification").
  ClaimingWorker(std::string name, const char* what, const CourierConfig& courier)
      : name_(std::move(name)), what_(what), courier_(courier) {}

  const std::string name_;

 private:
  const char* what_;
  const CourierConfig& courier_;
};

/// One round: claims up to courier.batch_size rows of `store` for `worker` (leased for
/// courier.lease_ms) and processes them in order with `process`. When `stop` fires, the rows
/// not processed yet are given back (store.Release). An AppError from one row is logged as
/// `failure` with `fields(row)` and the error, and the next row goes on; the failed row stays
/// claimed until its lease runs out, and is then claimed again. Returns the number claimed.
template <typename Store, typename Process, typename Fields>
int ClaimRound(Store& store, const std::string& worker, const CourierConfig& courier,
               StopSignal& stop, Process process, Fields fields, const char* failure) {
  const auto items =
      store.Claim(worker, courier.batch_size, std::chrono::milliseconds(courier.lease_ms));
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (stop.stopped()) {
      for (std::size_t j = i; j < items.size(); ++j) store.Release(items[j], worker);
      break;
    }
    try {
      process(items[i]);
    } catch (const AppError& e) {
      auto f = fields(items[i]);
      f.set("error", std::string(e.what()));
      log::Error(failure, f);
    }
  }
  return static_cast<int>(items.size());
}

}  // namespace onboard::courier
