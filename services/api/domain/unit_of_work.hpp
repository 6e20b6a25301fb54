#pragma once

#include <functional>
#include <memory>

#include "audit_event.hpp"

namespace onboard::domain {

/// One audited change: what a use case writes, the audit events that describe it, and the
/// work that must follow its commit, as one explicit object (declared here, implemented in
/// db/ by db::PgUnitOfWork, faked in the use-case tests).
///
/// A use case begins a unit, passes it to every store write that belongs to the change,
/// records the change's events and its after-commit hooks, and commits:
///
///     auto unit = units.Begin();
///     unit->Record(event);                          // written with the change
///     clients.Update(*unit, next, current.version, write);
///     unit->AfterCommit([&] { caches.ClientChanged(id); });
///     unit->Commit();  // COMMIT, seal the events into the chain, run the hooks
///
/// Destroyed without Commit (an exception on the way), the unit rolls back: the change and
/// its events are both gone and no hook runs. Not thread-safe: one request's thread.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;

  /// Adds `event` to the change: it is written in the unit's transaction (commits or rolls
  /// back with the change) and is sealed into the hash chain before Commit returns. A store
  /// may record events too (an outcome only it can see, e.g. a download that was refused).
  virtual void Record(AuditEvent event) = 0;

  /// Runs `hook` after a successful commit, once the events are sealed (provider snapshot
  /// and token cache invalidation). Never after a rollback. Hooks run in the order added;
  /// one that throws is logged and does not undo the committed change.
  virtual void AfterCommit(std::function<void()> hook) = 0;

  /// Commits the change with its events, seals them and runs the hooks. Throws AppError
  /// when the commit fails (then nothing was written). A seal that fails after the commit
  /// leaves the events queued for the sweeper (never lost) and does not throw.
  virtual void Commit() = 0;
};

/// Begins units of work. Thread-safe.
class UnitsOfWork {
 public:
  virtual ~UnitsOfWork() = default;
  virtual std::unique_ptr<UnitOfWork> Begin() = 0;
};

}  // namespace onboard::domain
