#pragma once

#include <optional>
#include <string>

#include "audit_event.hpp"
#include "pg.hpp"

namespace onboard::db {

/// Advisory lock that serialises appends to the chain across every instance.
inline constexpr long long kAuditChainLock = 0x6f6e626f61726402LL;

/// Appends `event` to the hash chain on `conn`, which must be inside a transaction (the
/// caller's, so the event commits or rolls back with the change it describes). Takes the
/// chain lock until that transaction ends: call it last, just before COMMIT.
domain::SealedAuditEvent AppendAudit(Connection& conn, const domain::AuditEvent& event);

struct ChainVerification {
  bool intact = true;
  int64_t checked = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::optional<int64_t> broken_seq;  ///< first event whose link or hash is wrong
  std::string expected_hash;
  std::string found_hash;
  std::string reason;
};

/// Recomputes the chain for seq in [from_seq, to_seq] (to_seq <= 0: to the head),
/// streaming in batches.
ChainVerification VerifyAuditChain(Connection& conn, int64_t from_seq = 1, int64_t to_seq = 0);

/// Reads one sealed event from a row of the `select_audit_events_range` shape.
domain::SealedAuditEvent SealedEventFromRow(const Result& r, int row);

}  // namespace onboard::db
