#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "clock.hpp"
#include "config.hpp"
#include "notify_repository.hpp"

namespace onboard::app {

/// The background work of notifications in every `serve` instance: the dispatcher (events
/// from the audit chain, every notify.dispatch_interval_ms) and the reminder scheduler
/// (reminders and the daily digest, every notify.scheduler_interval_ms, at the injected
/// clock's time). Any number of instances run both; the database makes each piece of work
/// happen once. With testing.clock_control, `shared_offset` (else null) is loaded into
/// `clock` before every round, so a clock moved on one instance holds on every one. Stops
/// (and joins) in its destructor.
class NotifyJobs {
 public:
  NotifyJobs(const AppConfig& config, db::NotificationRepository& repo, domain::OffsetClock& clock,
             domain::ClockOffsetStore* shared_offset);
  NotifyJobs(const NotifyJobs&) = delete;
  NotifyJobs& operator=(const NotifyJobs&) = delete;
  ~NotifyJobs();

 private:
  void Dispatch();
  void Schedule();
  bool Wait(int ms);
  void SyncClock();

  const AppConfig& config_;
  db::NotificationRepository& repo_;
  domain::OffsetClock& clock_;
  domain::ClockOffsetStore* shared_offset_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread dispatcher_;
  std::thread scheduler_;
};

}  // namespace onboard::app
