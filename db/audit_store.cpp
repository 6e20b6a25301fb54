#include "audit_store.hpp"

#include <chrono>

#include "error.hpp"

namespace onboard::db {

namespace {
int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

domain::SealedAuditEvent AppendAudit(Connection& conn, const domain::AuditEvent& event) {
  if (!conn.in_transaction()) {
    throw AppError(ErrorCode::kInternal, "internal error", "AppendAudit called outside a transaction");
  }
  conn.Exec("lock_audit_chain", {std::to_string(kAuditChainLock)});
  Result head = conn.Exec("select_audit_head");
  domain::SealedAuditEvent sealed;
  sealed.event = event;
  sealed.seq = head.rows() == 0 ? 1 : head.Int(0, 0) + 1;
  sealed.prev_hash = head.rows() == 0 ? domain::kGenesisHash : head.Str(0, 1);
  sealed.occurred_at_us = NowMicros();
  sealed.hash = domain::ComputeAuditHash(sealed);
  const auto& a = event.actor;
  conn.Exec("insert_audit_event",
            {std::to_string(sealed.seq), std::to_string(sealed.occurred_at_us), a.name, a.role,
             NullIfEmpty(a.portal_user), NullIfEmpty(a.request_id), NullIfEmpty(a.source_ip),
             NullIfEmpty(event.organisation), event.action, event.target_type, event.target_id, event.outcome,
             event.detail_json, sealed.prev_hash, sealed.hash});
  return sealed;
}

domain::SealedAuditEvent SealedEventFromRow(const Result& r, int row) {
  domain::SealedAuditEvent e;
  e.seq = r.Int(row, 0);
  e.occurred_at_us = r.Int(row, 1);
  e.event.actor.name = r.Str(row, 2);
  e.event.actor.role = r.Str(row, 3);
  e.event.actor.portal_user = r.Str(row, 4);
  e.event.actor.request_id = r.Str(row, 5);
  e.event.actor.source_ip = r.Str(row, 6);
  e.event.organisation = r.Str(row, 7);
  e.event.action = r.Str(row, 8);
  e.event.target_type = r.Str(row, 9);
  e.event.target_id = r.Str(row, 10);
  e.event.outcome = r.Str(row, 11);
  e.event.detail_json = r.Str(row, 12);
  e.prev_hash = r.Str(row, 13);
  e.hash = r.Str(row, 14);
  return e;
}

ChainVerification VerifyAuditChain(Connection& conn, int64_t from_seq, int64_t to_seq) {
  constexpr int kBatch = 2000;
  ChainVerification v;
  std::string prev;
  int64_t expected_seq = from_seq;
  if (from_seq > 1) {
    Result p = conn.Exec("select_audit_hash_by_seq", {std::to_string(from_seq - 1)});
    if (p.rows() == 0) {
      v.intact = false;
      v.broken_seq = from_seq - 1;
      v.reason = "event before the range is missing";
      return v;
    }
    prev = p.Str(0, 0);
  } else {
    prev = domain::kGenesisHash;
  }
  int64_t cursor = from_seq - 1;
  while (true) {
    Result r = conn.Exec("select_audit_events_range",
                         {std::to_string(cursor), to_seq > 0 ? std::optional<std::string>(std::to_string(to_seq))
                                                             : std::nullopt,
                          std::to_string(kBatch)});
    for (int i = 0; i < r.rows(); ++i) {
      domain::SealedAuditEvent e = SealedEventFromRow(r, i);
      if (v.checked == 0) v.first_seq = e.seq;
      if (e.seq != expected_seq) {
        v.intact = false;
        v.broken_seq = e.seq;
        v.reason = "sequence gap: expected seq " + std::to_string(expected_seq);
        return v;
      }
      if (e.prev_hash != prev) {
        v.intact = false;
        v.broken_seq = e.seq;
        v.expected_hash = prev;
        v.found_hash = e.prev_hash;
        v.reason = "prev_hash does not match the previous event's hash";
        return v;
      }
      const std::string recomputed = domain::ComputeAuditHash(e);
      if (recomputed != e.hash) {
        v.intact = false;
        v.broken_seq = e.seq;
        v.expected_hash = recomputed;
        v.found_hash = e.hash;
        v.reason = "stored hash does not match the event's content";
        return v;
      }
      prev = e.hash;
      ++expected_seq;
      ++v.checked;
      v.last_seq = e.seq;
      cursor = e.seq;
    }
    if (r.rows() < kBatch) break;
  }
  return v;
}

}  // namespace onboard::db
