#include "invalidation_bus.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>

#include "error.hpp"
#include "log.hpp"
#include "pg.hpp"

namespace onboard::db {

namespace {
constexpr char kChannel[] = "onboard_invalidate";
constexpr std::size_t kMaxQueued = 4096;
constexpr std::size_t kMaxMessageBytes = 7000;  // NOTIFY's payload limit is 8000 bytes
}  // namespace

InvalidationBus::InvalidationBus(std::string url, int connect_timeout_s, Callback on_message)
    : url_(std::move(url)),
      connect_timeout_s_(connect_timeout_s),
      on_message_(std::move(on_message)) {
  if (pipe2(wake_fd_, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw AppError(ErrorCode::kInternal, "internal error", "pipe2 failed for the invalidation bus");
  }
}

InvalidationBus::~InvalidationBus() {
  Stop();
  close(wake_fd_[0]);
  close(wake_fd_[1]);
}

void InvalidationBus::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void InvalidationBus::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  Wake();
  stopped_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void InvalidationBus::Publish(std::string message) {
  if (message.size() > kMaxMessageBytes) message = "*";
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (outgoing_.size() >= kMaxQueued) outgoing_.pop_front();
    outgoing_.push_back(std::move(message));
  }
  Wake();
}

void InvalidationBus::Wake() noexcept {
  const char byte = 1;
  // A full pipe already wakes the thread; nothing else can fail here that matters.
  [[maybe_unused]] ssize_t n = write(wake_fd_[1], &byte, 1);
}

void InvalidationBus::Run() {
  std::chrono::milliseconds backoff(200);
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    std::unique_ptr<Connection> conn;
    try {
      conn = std::make_unique<Connection>(url_, connect_timeout_s_);
      conn->ExecSimple(std::string("LISTEN ") + kChannel);
      connects_.fetch_add(1, std::memory_order_relaxed);
      backoff = std::chrono::milliseconds(200);
      // Whatever was sent while this instance was not listening is lost: drop everything.
      on_message_("*");
      const int self = conn->BackendPid();
      while (!conn->broken()) {
        std::deque<std::string> batch;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (stopping_) return;
          batch.swap(outgoing_);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
          try {
            conn->Exec("notify_invalidation", {batch[i]});
          } catch (...) {
            // Keep what was not sent for the next connection.
            std::lock_guard<std::mutex> lock(mutex_);
            outgoing_.insert(outgoing_.begin(), batch.begin() + static_cast<long>(i), batch.end());
            throw;
          }
        }
        for (const auto& n : conn->TakeNotifications()) {
          if (n.backend_pid == self || n.channel != kChannel) continue;
          received_.fetch_add(1, std::memory_order_relaxed);
          on_message_(n.payload);
        }
        if (conn->broken()) break;
        pollfd fds[2] = {{conn->Socket(), POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
        if (poll(fds, 2, 1000) < 0 && errno != EINTR) break;
        if (fds[1].revents & POLLIN) {
          char drain[64];
          while (read(wake_fd_[0], drain, sizeof drain) > 0) {
          }
        }
      }
    } catch (const std::exception& e) {
      Poco::JSON::Object f;
      f.set("reason", std::string(e.what()));
      log::Warn("invalidation bus connection lost; caches fall back to their TTL", f);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopped_cv_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

}  // namespace onboard::db
