#pragma once

#include <optional>
#include <string>

#include "audit_event.hpp"
#include "audit_log.hpp"
#include "pg.hpp"

namespace onboard::db {

/// Advisory lock that serialises appends to the chain across every instance.
inline constexpr long long kAuditChainLock = 0x6f6e626f61726402LL;

/// Appends `event` to the hash chain on `conn`, which must be inside a transaction (the
/// caller's, so the event commits or rolls back with the change it describes). Takes the
/// chain lock until that transaction ends: call it last, just before COMMIT.
domain::SealedAuditEvent AppendAudit(Connection& conn, const domain::AuditEvent& event);

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
