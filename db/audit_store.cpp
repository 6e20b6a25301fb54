#include "audit_store.hpp"
#include "values.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <Poco/JSON/Object.h>
#include <map>

#include "audit_export.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "log.hpp"
#include "pool.hpp"
#include "signer.hpp"

namespace onboard::db {

int64_t QueueAuditEvent(Connection& conn, const domain::AuditEvent& event) {
  if (!conn.in_transaction()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "an audit event queued outside a transaction");
  }
  return conn.Exec("insert_audit_queue", AuditQueueValues(event)).Int(0, 0);
}

Params AuditQueueValues(const domain::AuditEvent& event) {
  const auto& a = event.actor;
  return {std::to_string(NowMicros()),
          a.name,
          a.role,
          NullIfEmpty(a.portal_user),
          NullIfEmpty(a.request_id),
          NullIfEmpty(a.source_ip),
          NullIfEmpty(event.organisation),
          event.action,
          event.target_type,
          event.target_id,
          event.outcome,
          event.detail_json};
}

void AppendAuditEventInput(JsonInput& in, std::string_view name, const domain::AuditEvent& event) {
  const auto& a = event.actor;
  in.Open(name)
      .Int("occurred_at_us", NowMicros())
      .Str("actor", a.name)
      .Str("role", a.role)
      .OptStr("portal_user", a.portal_user)
      .OptStr("request_id", a.request_id)
      .OptStr("source_ip", a.source_ip)
      .OptStr("organisation", event.organisation)
      .Str("action", event.action)
      .Str("target_type", event.target_type)
      .Str("target_id", event.target_id)
      .Str("outcome", event.outcome)
      .Str("detail", event.detail_json)
      .Close();
}

namespace {
std::string IdArrayLiteral(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  out.push_back('}');
  return out;
}
}  // namespace

int64_t SealAuditQueue(Connection& conn) {
  // One statement per batch (migration 0015): the lock, the head, the hashes and the move
  // all happen inside the server, in the statement's own transaction.
  constexpr int kBatch = 1000;
  int64_t total = 0;
  while (true) {
    Result sealed = conn.Exec("seal_audit_queue_batch", {std::to_string(kBatch)});
    const int64_t n = sealed.Int(0, 0);
    total += n;
    if (n < kBatch) return total;
  }
}

int64_t QueuedAuditEvents(Connection& conn) {
  Result r = conn.Exec("count_audit_queue");
  return r.Int(0, 0);
}

void AuditSealer::SealAndWait(Connection& conn) noexcept { SealAndWait(conn, {}); }

void AuditSealer::SealAndWait(Connection& conn, std::vector<int64_t> ids) noexcept {
  std::unique_lock<std::mutex> lock(mutex_);
  if (ids.empty()) {
    pending_full_ = true;
  } else {
    pending_ids_.insert(pending_ids_.end(), ids.begin(), ids.end());
  }
  const uint64_t mine = ++requested_;
  while (completed_ < mine) {
    if (running_) {
      done_.wait(lock);
      continue;
    }
    // Lead a round: it covers every request made so far (their commits happened before
    // they asked, so the seal's read under the chain lock sees their events).
    running_ = true;
    // Under load (the previous round ended moments ago) a round of one event costs the
    // database almost as much as a round of ten: let the committers of the next few
    // hundred microseconds join this one. Idle, the seal starts at once.
    if (pending_ids_.size() < 8 &&
        std::chrono::steady_clock::now() - last_round_end_ < std::chrono::milliseconds(5)) {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      lock.lock();
    }
    const uint64_t round = requested_;
    std::vector<int64_t> batch;
    batch.swap(pending_ids_);
    const bool full = std::exchange(pending_full_, false);
    lock.unlock();
    try {
      if (full) {
        SealAuditQueue(conn);
      } else {
        conn.Exec("seal_audit_queue_rows", {IdArrayLiteral(batch)});
      }
    } catch (const std::exception& e) {
      Poco::JSON::Object f;
      if (const auto* app = dynamic_cast<const AppError*>(&e)) {
        f.set("error", app->internal().empty() ? app->detail() : app->internal());
      } else {
        f.set("error", e.what());
      }
      log::Warn("audit events stay queued: sealing failed", f);
    }
    lock.lock();
    last_round_end_ = std::chrono::steady_clock::now();
    running_ = false;
    completed_ = std::max(completed_, round);
    done_.notify_all();
  }
}

AuditSweeper::AuditSweeper(Pool& pool, std::chrono::milliseconds period)
    : pool_(pool), period_(period), thread_([this] { Run(); }) {}

AuditSweeper::~AuditSweeper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditSweeper::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, period_, [this] { return stop_; })) {
    lock.unlock();
    try {
      Lease lease = pool_.Acquire();
      if (QueuedAuditEvents(*lease) > 0) pool_.audit_sealer().SealAndWait(*lease);
    } catch (const std::exception&) {
      // The database is away; requests report that. The next round tries again.
    }
    lock.lock();
  }
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

domain::Checkpoint CheckpointFromRow(const Result& r, int row) {
  domain::Checkpoint c;
  c.id = r.Int(row, 0);
  c.seq = r.Int(row, 1);
  c.head_hash = r.Str(row, 2);
  c.event_count = r.Int(row, 3);
  c.kind = r.Str(row, 4);
  c.day = r.Str(row, 5);
  c.created_at_us = r.Int(row, 6);
  c.created_at = domain::Rfc3339FromMicros(c.created_at_us);
  c.created_by = r.Str(row, 7);
  c.algorithm = r.Str(row, 8);
  c.key_id = r.Str(row, 9);
  c.payload = r.Str(row, 10);
  c.signature = r.Str(row, 11);
  return c;
}

namespace {

// A checkpoint's own consistency: the payload it signed says what its columns say, and
// the signature holds when it was made with the configured key.
bool CheckpointSound(const domain::Checkpoint& c, const crypto::Signer* signer,
                     ChainVerification& v) {
  const std::string payload =
      domain::CheckpointPayload(c.seq, c.head_hash, c.event_count, c.created_at, c.key_id, c.kind);
  if (payload != c.payload) {
    v.reason = "checkpoint " + std::to_string(c.id) + " does not match the text it signed";
  } else if (signer != nullptr && c.key_id == signer->key_id()) {
    std::string sig;
    try {
      sig = crypto::Base64UrlDecode(c.signature);
    } catch (const AppError&) {
    }
    if (crypto::VerifySignature(signer->public_key_pem(), c.algorithm, c.payload, sig)) return true;
    v.reason = "checkpoint " + std::to_string(c.id) + " has a signature that does not verify";
  } else {
    ++v.checkpoints_unverifiable;
    return true;
  }
  v.intact = false;
  v.broken_checkpoint_id = c.id;
  v.broken_seq = c.seq;
  return false;
}

}  // namespace

ChainVerification VerifyAuditChain(Connection& conn, int64_t from_seq, int64_t to_seq,
                                   const crypto::Signer* signer) {
  constexpr int kBatch = 2000;
  ChainVerification v;
  if (from_seq < 1) from_seq = 1;
  Result bounds = conn.Exec("select_audit_bounds");
  const int64_t min_seq = bounds.Int(0, 0);
  const int64_t start = std::max(from_seq, min_seq > 0 ? min_seq : from_seq);

  // Checkpoints from just before the range on, by seq (one a day: few).
  std::multimap<int64_t, domain::Checkpoint> checkpoints;
  {
    Result cps =
        conn.Exec("select_audit_checkpoints_from", {std::to_string(start > 1 ? start - 1 : 1)});
    for (int i = 0; i < cps.rows(); ++i) {
      domain::Checkpoint c = CheckpointFromRow(cps, i);
      if (to_seq > 0 && c.seq > to_seq) continue;
      if (!CheckpointSound(c, signer, v)) return v;
      checkpoints.emplace(c.seq, std::move(c));
    }
  }

  std::string prev;
  if (start > 1) {
    Result p = conn.Exec("select_audit_hash_by_seq", {std::to_string(start - 1)});
    if (p.rows() > 0) {
      prev = p.Str(0, 0);
    } else {
      // The prefix before the first remaining event was pruned: a prune checkpoint must anchor it.
      Result anchor = conn.Exec("select_prune_checkpoint_at", {std::to_string(start - 1)});
      if (anchor.rows() == 0 || min_seq != start) {
        v.intact = false;
        v.broken_seq = start;
        v.reason = "the event before seq " + std::to_string(start) +
                   " is missing and no prune checkpoint anchors it";
        return v;
      }
      prev = anchor.Str(0, 0);
      v.pruned_through = start - 1;
    }
  } else {
    prev = domain::kGenesisHash;
  }
  if (min_seq > 1) v.pruned_through = min_seq - 1;
  auto checkpoint_at = [&](const domain::SealedAuditEvent& e) {
    auto [lo, hi] = checkpoints.equal_range(e.seq);
    for (auto it = lo; it != hi; ++it) {
      ++v.checkpoints_checked;
      if (it->second.head_hash != e.hash) {
        v.intact = false;
        v.broken_seq = e.seq;
        v.broken_checkpoint_id = it->second.id;
        v.expected_hash = it->second.head_hash;
        v.found_hash = e.hash;
        v.reason =
            "checkpoint " + std::to_string(it->second.id) + " recorded another hash for this event";
        return false;
      }
    }
    return true;
  };
  // The prune anchor itself counts as checked when it is the one the range starts from.
  if (v.pruned_through > 0 && start == min_seq)
    v.checkpoints_checked += static_cast<int64_t>(checkpoints.count(start - 1));

  int64_t expected_seq = start;
  int64_t cursor = start - 1;
  while (true) {
    Result r =
        conn.Exec("select_audit_events_range",
                  {std::to_string(cursor),
                   to_seq > 0 ? std::optional<std::string>(std::to_string(to_seq)) : std::nullopt,
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
      if (!checkpoint_at(e)) return v;
      prev = e.hash;
      ++expected_seq;
      ++v.checked;
      v.last_seq = e.seq;
      cursor = e.seq;
    }
    if (r.rows() < kBatch) break;
  }
  // A checkpoint past the last event: the newest events were removed.
  for (const auto& [seq, c] : checkpoints) {
    if (seq > cursor) {
      v.intact = false;
      v.broken_seq = cursor + 1;
      v.broken_checkpoint_id = c.id;
      v.expected_hash = c.head_hash;
      v.reason = "checkpoint " + std::to_string(c.id) + " covers seq " + std::to_string(seq) +
                 " but the chain ends at seq " + std::to_string(cursor) + ": events were removed";
      return v;
    }
  }
  return v;
}

}  // namespace onboard::db
