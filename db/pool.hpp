#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "audit_store.hpp"
#include "pg.hpp"

namespace onboard::db {

class Pool;

/// A connection checked out of the pool; returns it in the destructor, or drops it
/// when it is broken. Move-only.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  Connection& operator*() const noexcept { return *conn_; }
  Connection* operator->() const noexcept { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

struct PoolStats {
  int in_use = 0;
  int idle = 0;
  int max = 0;
  uint64_t broken_dropped = 0;
  uint64_t acquire_timeouts = 0;
};

/// Bounded pool of libpq connections, created lazily. Thread-safe.
class Pool {
 public:
  Pool(std::string url, int max_size, int acquire_timeout_ms, int connect_timeout_s);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Checks out a connection, waiting up to the acquire timeout. Throws
  /// AppError(kUnavailable) when none can be had or the database is unreachable.
  Lease Acquire();

  PoolStats Stats() const;
  /// Group commit for sealing audit events of this pool's units of work (PgUnitOfWork).
  AuditSealer& audit_sealer() noexcept { return audit_sealer_; }
  const std::string& url() const noexcept { return url_; }

 private:
  friend class Lease;
  void Return(std::unique_ptr<Connection> conn);

  const std::string url_;
  const int max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  const int connect_timeout_s_;

  AuditSealer audit_sealer_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<std::unique_ptr<Connection>> idle_;
  int total_ = 0;
  int in_use_ = 0;
  uint64_t broken_dropped_ = 0;
  uint64_t acquire_timeouts_ = 0;
};

/// Transaction guard: BEGIN on construction, ROLLBACK in the destructor unless
/// Commit() succeeded. Knows nothing about audit: a change with audit events goes through
/// PgUnitOfWork instead.
class Tx {
 public:
  explicit Tx(Connection& conn);
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  ~Tx();

  void Commit();
  Connection& conn() const noexcept { return conn_; }

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace onboard::db
