#include "pool.hpp"

#include "error.hpp"
#include "log.hpp"

namespace onboard::db {

Lease::~Lease() {
  if (pool_ != nullptr && conn_) pool_->Return(std::move(conn_));
}

Pool::Pool(std::string url, int max_size, int acquire_timeout_ms, int connect_timeout_s)
    : url_(std::move(url)),
      max_size_(max_size),
      acquire_timeout_(acquire_timeout_ms),
      connect_timeout_s_(connect_timeout_s) {}

Lease Pool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  while (true) {
    while (!idle_.empty()) {
      // The most recently returned connection (Return puts it in front); checked outside the lock,
      // so its poll(2) does not hold up other threads acquiring.
      std::unique_ptr<Connection> conn = std::move(idle_.front());
      idle_.pop_front();
      ++in_use_;
      lock.unlock();
      if (conn->CheckIdle()) return Lease(this, std::move(conn));
      conn.reset();  // destroyed here; a fresh one is made below if needed
      lock.lock();
      --in_use_;
      --total_;
      ++broken_dropped_;
    }
    if (total_ < max_size_) {
      ++total_;
      ++in_use_;
      lock.unlock();
      try {
        auto conn = std::make_unique<Connection>(url_, connect_timeout_s_);
        return Lease(this, std::move(conn));
      } catch (...) {
        lock.lock();
        --total_;
        --in_use_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        total_ >= max_size_) {
      ++acquire_timeouts_;
      throw AppError(ErrorCode::kUnavailable, "the service is busy, try again shortly",
                     "database pool exhausted", {}, "database_busy");
    }
  }
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  bool broken = conn->broken();
  if (!broken && conn->in_transaction()) {
    // A transaction left open by an exception path: roll it back before reuse.
    try {
      conn->ExecSimple("ROLLBACK");
    } catch (...) {
      broken = true;
    }
    broken = broken || conn->broken();
  }
  std::deque<std::unique_ptr<Connection>> stale;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_use_;
    if (broken) {
      --total_;
      ++broken_dropped_;
      // One lost connection usually means the server restarted: every idle connection is
      // stale too. Drop them so the next requests reconnect instead of failing one by one.
      stale.swap(idle_);
      total_ -= static_cast<int>(stale.size());
      broken_dropped_ += stale.size();
    } else {
      idle_.push_front(std::move(conn));
    }
  }
  available_.notify_one();
  // `conn` (if broken) and `stale` are closed here, outside the lock.
}

PoolStats Pool::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return PoolStats{in_use_, static_cast<int>(idle_.size()), max_size_, broken_dropped_,
                   acquire_timeouts_};
}

Tx::Tx(Connection& conn) : conn_(conn) { conn_.ExecSimple("BEGIN"); }

Tx::~Tx() {
  if (!done_) {
    try {
      if (!conn_.broken()) conn_.ExecSimple("ROLLBACK");
    } catch (...) {
      conn_.MarkBroken();
    }
  }
}

void Tx::Commit() {
  conn_.ExecSimple("COMMIT");
  done_ = true;
}

}  // namespace onboard::db
