#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace onboard::db {

/// Cross-instance cache invalidation over PostgreSQL LISTEN/NOTIFY (issue #19).
///
/// One background thread owns one dedicated connection: it LISTENs on `onboard_invalidate`,
/// sends what Publish queued (`pg_notify`, after the publishing change committed) and hands
/// every notification from another backend to the `on_message` callback. Messages are
/// short ids (`client:<id>`, `tokens`), never secrets. When the connection is lost it
/// reconnects with backoff (200 ms doubling to 2 s); after every (re)connect it calls
/// `on_message("*")`, because notifications sent while it was not listening are gone: the
/// caches then drop everything, and their TTL stays the fallback for the time the bus was
/// down. Publish never blocks on the database (a full queue drops the oldest message,
/// again with the TTL as the fallback). Thread-safe.
class InvalidationBus {
 public:
  using Callback = std::function<void(const std::string& message)>;

  InvalidationBus(std::string url, int connect_timeout_s, Callback on_message);
  ~InvalidationBus();
  InvalidationBus(const InvalidationBus&) = delete;
  InvalidationBus& operator=(const InvalidationBus&) = delete;

  /// Starts the thread (idempotent).
  void Start();
  /// Stops the thread and closes the connection (the destructor does it too).
  void Stop();
  /// Queues `message` for the other instances.
  void Publish(std::string message);

  /// Messages received from other instances, and connects made (for /metrics and tests).
  uint64_t received() const noexcept { return received_.load(std::memory_order_relaxed); }
  uint64_t connects() const noexcept { return connects_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void Wake() noexcept;

  const std::string url_;
  const int connect_timeout_s_;
  const Callback on_message_;
  int wake_fd_[2] = {-1, -1};  ///< a pipe that interrupts the poll when Publish queues
  std::mutex mutex_;
  std::condition_variable stopped_cv_;
  std::deque<std::string> outgoing_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> connects_{0};
};

}  // namespace onboard::db
