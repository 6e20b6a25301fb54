#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"

namespace onboard::crypto {
class Signer;
}

namespace onboard::domain {

/// What GET /v1/audit/events asks for. Empty strings and empty lists filter nothing.
struct AuditQuery {
  std::optional<int64_t> from_us;  ///< occurred_at >= from (microseconds since the epoch)
  std::optional<int64_t> to_us;    ///< occurred_at < to
  std::string actor;
  std::string role;
  std::string organisation;
  std::string action;  ///< exact, or a prefix when it ends with '*' ("client.*")
  std::string outcome;
  std::string request_id;
  /// Events about any of these clients: their target is the client, or their detail
  /// names it as client_id, test_client_id or production_client_id.
  std::vector<std::string> client_ids;
  std::vector<std::string> target_ids;  ///< further targets (the orders of a client)
  std::optional<int64_t> cursor;        ///< seq of the last event already received
  bool newest_first = true;
  std::optional<int64_t> limit;  ///< nullopt: every matching event
};

/// Outcome of recomputing the chain over a range, with the checkpoints checked on it.
struct ChainReport {
  bool intact = true;
  int64_t checked = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::optional<int64_t> broken_seq;  ///< first event whose link or hash is wrong
  std::string expected_hash;
  std::string found_hash;
  std::string reason;
  int64_t checkpoints_checked = 0;
  /// Checkpoints signed with another key than the configured one (not counted as broken).
  int64_t checkpoints_unverifiable = 0;
  std::optional<int64_t> broken_checkpoint_id;
  int64_t pruned_through = 0;  ///< events up to this seq were removed behind a prune checkpoint
};

enum class CheckpointKind { kDaily, kOnDemand, kPrune };
std::string_view ToString(CheckpointKind kind) noexcept;

/// A signed statement of the chain's head.
struct Checkpoint {
  int64_t id = 0;
  int64_t seq = 0;  ///< seq of the head it covers
  std::string head_hash;
  int64_t event_count = 0;  ///< events in the chain through seq since genesis (= seq)
  std::string kind;
  std::string day;  ///< UTC date of a daily checkpoint, else empty
  int64_t created_at_us = 0;
  std::string created_at;  ///< RFC 3339
  std::string created_by;
  std::string algorithm;
  std::string key_id;
  std::string payload;    ///< the exact signed text
  std::string signature;  ///< base64url
};

/// The text a checkpoint signs: one `name=value` line per field in a fixed order.
std::string CheckpointPayload(int64_t seq, const std::string& head_hash, int64_t event_count,
                              const std::string& created_at, const std::string& key_id,
                              const std::string& kind);

/// Reads and proves the audit trail. Implementations are thread-safe.
class AuditLogStore {
 public:
  virtual ~AuditLogStore() = default;
  /// Calls `on_event` for every matching event in the asked order, fetching rows in
  /// batches (constant memory whatever the count). An exception from `on_event` stops
  /// the query and propagates.
  virtual void Stream(const AuditQuery& query,
                      const std::function<void(const SealedAuditEvent&)>& on_event) = 0;
  /// The clients that make up one client's life across environments (the client, the
  /// test client it was promoted from, the production clients promoted from it) and the
  /// production orders between them. Empty when the client does not exist.
  virtual std::vector<std::string> ClientLineage(const std::string& client_id,
                                                 std::vector<std::string>& order_ids) = 0;
  /// The seq range of events with occurred_at in [from_us, to_us) (either may be absent).
  virtual std::pair<int64_t, int64_t> SeqRangeForTimes(std::optional<int64_t> from_us,
                                                       std::optional<int64_t> to_us) = 0;
  /// Recomputes the chain over [from_seq, to_seq] (to_seq <= 0: to the head) and checks
  /// every checkpoint in it against the events and, when `signer` is given, its signature
  /// under that key.
  virtual ChainReport Verify(int64_t from_seq, int64_t to_seq, const crypto::Signer* signer) = 0;
  /// Signs the current head and stores the checkpoint with `audit` (in one transaction,
  /// under the chain lock). A daily checkpoint for a day that has one already is not
  /// written again: nullopt. Throws AppError(kConflict, "audit_chain_empty") when there
  /// is no event yet.
  virtual std::optional<Checkpoint> WriteCheckpoint(CheckpointKind kind,
                                                    const crypto::Signer& signer,
                                                    const std::string& day,
                                                    const AuditEvent& audit) = 0;
  /// Checkpoints, newest first, `limit` at most, older than `before_id` when given.
  virtual std::vector<Checkpoint> ListCheckpoints(std::optional<int64_t> before_id, int limit) = 0;
  /// Removes the events older than `older_than_us`, except the newest event, after writing
  /// a prune checkpoint for the removed prefix. Returns the number removed (0: nothing old
  /// enough).
  virtual int64_t Prune(int64_t older_than_us, const crypto::Signer& signer,
                        const AuditEvent& audit) = 0;
};

}  // namespace onboard::domain
