#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "pool.hpp"
#include "unit_of_work.hpp"

namespace onboard::db {

class AuditSealer;

/// domain::UnitOfWork on PostgreSQL: one connection, one transaction, the events recorded
/// for it and the hooks that follow its commit. Owns all of that; nothing about audit lives
/// in db::Connection or in thread-local state.
///
/// The transaction begins when a store first asks for Tx(); the events recorded so far are
/// queued in `audit_queue` then, and later ones at once, inside it (so they commit or roll
/// back with the change, in the order recorded). Commit commits, then seals exactly the queue
/// rows it wrote into the chain (batched with concurrent
/// commits through the pool's AuditSealer), then runs the hooks. A change that is one
/// statement writing its own event (the hot registration path) takes the event with
/// TakeEvent, runs on Single() without BEGIN/COMMIT, and reports its queue row with
/// Queued. Destroyed uncommitted: ROLLBACK, events dropped, no hook run.
/// Not thread-safe: one request's thread.
class PgUnitOfWork final : public domain::UnitOfWork {
 public:
  /// Leases a connection from `pool` on first use and seals through the pool's sealer.
  explicit PgUnitOfWork(Pool& pool);
  /// Works on `conn` (tests, the CLI); seals alone when `sealer` is null.
  explicit PgUnitOfWork(Connection& conn, AuditSealer* sealer = nullptr);
  PgUnitOfWork(const PgUnitOfWork&) = delete;
  PgUnitOfWork& operator=(const PgUnitOfWork&) = delete;
  ~PgUnitOfWork() override;

  void Record(domain::AuditEvent event) override;
  void AfterCommit(std::function<void()> hook) override;
  void Commit() override;

  /// The connection inside the unit's transaction (BEGIN on the first call).
  Connection& Tx();
  /// The connection for reads before or without the transaction (no BEGIN).
  Connection& Conn();
  /// For a change written by ONE statement outside a transaction: the connection, with no
  /// BEGIN. Only before Tx(); afterwards the unit takes no further write (Tx throws), and
  /// Commit only seals and runs the hooks.
  Connection& Single();
  /// Removes the one recorded event for a statement that queues it itself; std::nullopt
  /// unless exactly one event is recorded.
  std::optional<domain::AuditEvent> TakeEvent();
  /// A statement of this unit queued an event as row `id` (sealed on Commit).
  void Queued(int64_t id) { queued_.push_back(id); }

  /// The unit behind a store write's `unit` argument. Throws AppError(kInternal) when it is
  /// not a PgUnitOfWork (a fake handed to a real repository).
  static PgUnitOfWork& Of(domain::UnitOfWork& unit);

 private:
  void RunHooks() noexcept;

  Pool* pool_ = nullptr;
  std::optional<Lease> lease_;
  Connection* conn_ = nullptr;
  AuditSealer* sealer_ = nullptr;
  bool in_tx_ = false;
  bool single_ = false;
  bool committed_ = false;
  std::vector<domain::AuditEvent> events_;
  std::vector<int64_t> queued_;
  std::vector<std::function<void()>> hooks_;
};

/// domain::UnitsOfWork over a pool. Thread-safe.
class PgUnitsOfWork final : public domain::UnitsOfWork {
 public:
  explicit PgUnitsOfWork(Pool& pool) : pool_(pool) {}
  std::unique_ptr<domain::UnitOfWork> Begin() override {
    return std::make_unique<PgUnitOfWork>(pool_);
  }

 private:
  Pool& pool_;
};

}  // namespace onboard::db
