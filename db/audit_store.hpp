#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "audit_log.hpp"
#include "json_input.hpp"
#include "pg.hpp"

namespace onboard::db {

/// Advisory lock that serialises appends to the chain across every instance.
inline constexpr long long kAuditChainLock = 0x6f6e626f61726402LL;

/// Writes `event` into the audit queue on `conn`, which must be inside a transaction (so the
/// event commits or rolls back with the change it describes), and returns the queue row's
/// id. It takes no lock. Used by PgUnitOfWork::Commit, which seals the rows it wrote after
/// COMMIT; nothing else should call it. Throws like Connection::Exec (e.g. a `detail_json`
/// that is not JSON fails the transaction).
int64_t QueueAuditEvent(Connection& conn, const domain::AuditEvent& event);

/// The twelve values of `insert_audit_queue` for `event` (occurred now), for a statement
/// that queues the event itself as part of one bigger statement (create_client.sql); it
/// reports the row it queued with PgUnitOfWork::Queued.
Params AuditQueueValues(const domain::AuditEvent& event);

/// The same event as the member `name` of a statement's named (jsonb) input:
/// {occurred_at_us, actor, role, portal_user, request_id, source_ip, organisation, action,
/// target_type, target_id, outcome, detail}, empty optional members as null.
void AppendAuditEventInput(JsonInput& in, std::string_view name, const domain::AuditEvent& event);

/// Moves every committed event of the audit queue into the chain, in batches, each batch
/// one transaction under the chain's advisory lock (so any number of instances build one
/// valid chain). `conn` must not be in a transaction. Returns the number sealed. Throws
/// AppError (kUnavailable when the database is unreachable); what is not sealed stays
/// queued for the next call, by this instance or another.
int64_t SealAuditQueue(Connection& conn);

/// Events waiting in the queue (normally 0 outside the moment between a commit and its
/// seal; more means sealing fails and needs attention).
int64_t QueuedAuditEvents(Connection& conn);

class Pool;

/// Seals what commits left in the queue every `period` on a pooled connection: events of
/// a process that died between its commit and its seal, or whose seal failed (database
/// gone for a moment). Any instance's sweeper seals any instance's leftovers. Stops (and
/// joins) in its destructor.
class AuditSweeper {
 public:
  AuditSweeper(Pool& pool, std::chrono::milliseconds period);
  AuditSweeper(const AuditSweeper&) = delete;
  AuditSweeper& operator=(const AuditSweeper&) = delete;
  ~AuditSweeper();

 private:
  void Run();

  Pool& pool_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

/// Group commit for sealing within one process: callers that committed audit events call
/// SealAndWait; one of them seals for everyone waiting (one lock, one transaction per
/// batch) while the others wait for that round, so concurrent requests share a seal
/// instead of queueing on the chain lock one by one. Thread-safe.
class AuditSealer {
 public:
  /// Seals (or waits for a seal that started after this call) on `conn`, which must not
  /// be in a transaction. Never throws: a failed seal is logged and the events stay
  /// queued (the sweep in `serve` or the next commit seals them).
  void SealAndWait(Connection& conn) noexcept;
  /// The same for the queue rows `ids` committed by the caller: the round seals the rows
  /// its callers named, looked up by key (the queue's churn leaves many dead index entries
  /// a scan from its start would walk through), and the whole queue only when a caller
  /// named none.
  void SealAndWait(Connection& conn, std::vector<int64_t> ids) noexcept;

 private:
  std::mutex mutex_;
  std::vector<int64_t> pending_ids_;
  bool pending_full_ = false;
  std::chrono::steady_clock::time_point last_round_end_{};
  std::condition_variable done_;
  uint64_t requested_ = 0;
  uint64_t completed_ = 0;
  bool running_ = false;
};

using ChainVerification = domain::ChainReport;

/// Recomputes the chain for seq in [from_seq, to_seq] (to_seq <= 0: to the head),
/// streaming in batches. A prefix removed by retention pruning is accepted when a prune
/// checkpoint anchors the first remaining event. Every checkpoint from the range's start
/// on is checked: its payload against its fields, its head hash against the event at its
/// seq (a checkpoint beyond the end of the chain means events were removed), and, when
/// `signer` is given, its signature if it was made with that key.
ChainVerification VerifyAuditChain(Connection& conn, int64_t from_seq = 1, int64_t to_seq = 0,
                                   const crypto::Signer* signer = nullptr);

/// Reads one checkpoint from a row of the `list_audit_checkpoints` shape.
domain::Checkpoint CheckpointFromRow(const Result& r, int row);

/// Reads one sealed event from a row of the `select_audit_events_range` shape.
domain::SealedAuditEvent SealedEventFromRow(const Result& r, int row);

}  // namespace onboard::db
