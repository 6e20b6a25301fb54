#include "notify_jobs.hpp"

#include "error.hpp"
#include "log.hpp"
#include "reminders.hpp"

namespace onboard::app {

namespace {
void LogJobFailure(const char* what, const std::exception& e) {
  Poco::JSON::Object f;
  const auto* app = dynamic_cast<const AppError*>(&e);
  f.set("error",
        app != nullptr && !app->internal().empty() ? app->internal() : std::string(e.what()));
  log::Warn(what, f);
}
}  // namespace

NotifyJobs::NotifyJobs(const AppConfig& config, db::NotificationRepository& repo,
                       domain::OffsetClock& clock, domain::ClockOffsetStore* shared_offset)
    : config_(config), repo_(repo), clock_(clock), shared_offset_(shared_offset) {
  dispatcher_ = std::thread([this] { Dispatch(); });
  scheduler_ = std::thread([this] { Schedule(); });
}

NotifyJobs::~NotifyJobs() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  if (scheduler_.joinable()) scheduler_.join();
}

bool NotifyJobs::Wait(int ms) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_; });
  return !stop_;
}

void NotifyJobs::SyncClock() {
  if (shared_offset_ != nullptr) clock_.SetOffset(shared_offset_->Load());
}

void NotifyJobs::Dispatch() {
  constexpr int kBatch = 200;
  do {
    try {
      SyncClock();
      // A full batch means more is waiting: go on at once.
      while (repo_.DispatchRound(kBatch, clock_.Now()) == kBatch) {
        std::lock_guard lock(mutex_);
        if (stop_) return;
      }
    } catch (const std::exception& e) {
      LogJobFailure("notification dispatch failed; retrying at the next interval", e);
    }
  } while (Wait(config_.notify.dispatch_interval_ms));
}

void NotifyJobs::Schedule() {
  do {
    try {
      SyncClock();
      const auto r = notify::RunReminderRound(repo_, clock_, config_.notify.reminder_days,
                                              config_.notify.operator_email,
                                              config_.notify.digest_hour_utc, config_.instance_id);
      if (r.sent > 0 || r.digest) {
        Poco::JSON::Object f;
        f.set("reminders", r.sent);
        f.set("digest", r.digest);
        log::Info("notifications queued", f);
      }
    } catch (const std::exception& e) {
      LogJobFailure("reminder round failed; retrying at the next interval", e);
    }
  } while (Wait(config_.notify.scheduler_interval_ms));
}

}  // namespace onboard::app
