#pragma once

#include <atomic>
#include <chrono>

namespace onboard::domain {

/// The time the notification use cases and the reminder scheduler go by, injected so tests
/// move it instead of waiting. Thread-safe.
class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

/// The system clock shifted by an offset (0 unless a test sets one through the guarded
/// `PUT /v1/testing/clock`, available only with `testing.clock_control`). Thread-safe.
class OffsetClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset_s_.load());
  }
  void SetOffset(std::chrono::seconds offset) { offset_s_.store(offset.count()); }
  std::chrono::seconds offset() const { return std::chrono::seconds(offset_s_.load()); }

 private:
  std::atomic<int64_t> offset_s_{0};
};

/// Where the test clock's offset is shared between processes (migration 0040): every
/// onboard-api and onboard-courier with testing.clock_control loads it before each round, so
/// one `PUT /v1/testing/clock` moves time for all of them. Implemented in db/.
class ClockOffsetStore {
 public:
  virtual ~ClockOffsetStore() = default;
  virtual std::chrono::seconds Load() = 0;
  virtual void Save(std::chrono::seconds offset) = 0;
};

/// A clock a unit test sets by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint now) { now_ = now; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace onboard::domain
