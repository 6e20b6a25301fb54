#include "claim_loop.hpp"

#include <Poco/JSON/Object.h>

namespace onboard::courier {

void StopSignal::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  cv_.notify_all();
}

void StopSignal::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait_for(lock, d, [this] { return stopped_.load(); });
}

void ClaimingWorker::Run(StopSignal& stop) {
  while (!stop.stopped()) {
    int claimed = 0;
    try {
      claimed = RunOnce(stop);
    } catch (const std::exception& e) {
      Poco::JSON::Object f;
      f.set("worker", name_);
      f.set("error", std::string(e.what()));
      if (dynamic_cast<const AppError*>(&e) != nullptr)
        log::Warn(std::string(what_) + " round failed; retrying after the poll interval", f);
      else
        log::Error(std::string(what_) + " round failed unexpectedly", f);
    }
    if (claimed == 0) stop.SleepFor(std::chrono::milliseconds(courier_.poll_interval_ms));
  }
}

}  // namespace onboard::courier
