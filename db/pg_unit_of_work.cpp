#include "pg_unit_of_work.hpp"

#include <Poco/JSON/Object.h>

#include "audit_store.hpp"
#include "error.hpp"
#include "log.hpp"

namespace onboard::db {

PgUnitOfWork::PgUnitOfWork(Pool& pool) : pool_(&pool), sealer_(&pool.audit_sealer()) {}

PgUnitOfWork::PgUnitOfWork(Connection& conn, AuditSealer* sealer) : conn_(&conn), sealer_(sealer) {}

PgUnitOfWork::~PgUnitOfWork() {
  if (committed_ || !in_tx_ || conn_ == nullptr) return;
  try {
    if (!conn_->broken()) conn_->ExecSimple("ROLLBACK");
  } catch (...) {
    conn_->MarkBroken();
  }
}

PgUnitOfWork& PgUnitOfWork::Of(domain::UnitOfWork& unit) {
  if (auto* pg = dynamic_cast<PgUnitOfWork*>(&unit)) return *pg;
  throw AppError(ErrorCode::kInternal, "internal error", "a repository got a foreign unit of work");
}

Connection& PgUnitOfWork::Conn() {
  if (conn_ == nullptr) {
    lease_.emplace(pool_->Acquire());
    conn_ = &**lease_;
  }
  return *conn_;
}

Connection& PgUnitOfWork::Tx() {
  if (single_ || committed_) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "a write after the unit's single statement or commit");
  }
  Connection& conn = Conn();
  if (!in_tx_) {
    conn.ExecSimple("BEGIN");
    in_tx_ = true;
    // Events recorded before the first write are queued first, so the chain keeps the
    // order in which the unit recorded its events and its statements queued theirs.
    for (const auto& e : events_) queued_.push_back(QueueAuditEvent(conn, e));
    events_.clear();
  }
  return conn;
}

Connection& PgUnitOfWork::Single() {
  if (in_tx_ || single_ || committed_) {
    throw AppError(ErrorCode::kInternal, "internal error", "a single statement inside a unit");
  }
  single_ = true;
  return Conn();
}

std::optional<domain::AuditEvent> PgUnitOfWork::TakeEvent() {
  if (events_.size() != 1) return std::nullopt;
  domain::AuditEvent e = std::move(events_.front());
  events_.clear();
  return e;
}

void PgUnitOfWork::Record(domain::AuditEvent event) {
  if (committed_) throw AppError(ErrorCode::kInternal, "internal error", "event after commit");
  if (in_tx_) {
    queued_.push_back(QueueAuditEvent(*conn_, event));  // in order with the unit's statements
  } else {
    events_.push_back(std::move(event));
  }
}

void PgUnitOfWork::AfterCommit(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }

void PgUnitOfWork::Commit() {
  if (committed_) throw AppError(ErrorCode::kInternal, "internal error", "committed twice");
  if (single_ && !events_.empty()) {
    throw AppError(ErrorCode::kInternal, "internal error", "events left after a single statement");
  }
  if (!events_.empty()) Tx();  // an events-only unit: queues them in its own transaction
  if (in_tx_) conn_->ExecSimple("COMMIT");
  committed_ = true;
  events_.clear();
  // The change is durable with its events in the queue; seal them into the chain now so
  // the caller sees them there. A failed seal leaves them queued (never lost) for the
  // sweeper and does not fail the committed change.
  if (!queued_.empty()) {
    if (sealer_ != nullptr) {
      sealer_->SealAndWait(*conn_, std::move(queued_));
    } else {
      AuditSealer alone;
      alone.SealAndWait(*conn_, std::move(queued_));
    }
  }
  RunHooks();
}

void PgUnitOfWork::RunHooks() noexcept {
  for (auto& hook : hooks_) {
    try {
      hook();
    } catch (const std::exception& e) {
      Poco::JSON::Object f;
      f.set("error", e.what());
      log::Warn("an after-commit hook failed; the change stays committed", f);
    }
  }
  hooks_.clear();
}

}  // namespace onboard::db
