#include "audit_log_repository.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <sstream>

#include "audit_export.hpp"
#include "audit_store.hpp"
#include "values.hpp"
#include "pg_unit_of_work.hpp"
#include "client_repository.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "signer.hpp"

namespace onboard::db {

namespace {

std::optional<std::string> OptInt(const std::optional<int64_t>& v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

// The action filter as a LIKE pattern: exact, or a prefix when it ends with '*'.
std::optional<std::string> ActionPattern(const std::string& action) {
  if (action.empty()) return std::nullopt;
  if (action.back() == '*') return EscapeLike(action.substr(0, action.size() - 1)) + "%";
  return EscapeLike(action);
}

std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string Rfc(int64_t us) { return domain::Rfc3339FromMicros(us); }

}  // namespace

std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string array = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    array += (i == 0 ? "\"" : ",\"");
    for (char c : items[i]) {
      if (c == '"' || c == '\\') array.push_back('\\');
      array.push_back(c);
    }
    array += "\"";
  }
  array += "}";
  return array;
}

void AuditLogRepository::Stream(
    const domain::AuditQuery& q,
    const std::function<void(const domain::SealedAuditEvent&)>& on_event) {
  const Params params{
      OptInt(q.cursor),
      OptInt(q.from_us),
      OptInt(q.to_us),
      NullIfEmpty(q.actor),
      NullIfEmpty(q.role),
      NullIfEmpty(q.organisation),
      ActionPattern(q.action),
      NullIfEmpty(q.outcome),
      NullIfEmpty(q.request_id),
      q.client_ids.empty() ? std::nullopt
                           : std::optional<std::string>(TextArrayLiteral(q.client_ids)),
      q.target_ids.empty() ? std::nullopt
                           : std::optional<std::string>(TextArrayLiteral(q.target_ids)),
      OptInt(q.limit)};
  Lease lease = pool_.Acquire();
  lease->Stream(q.newest_first ? "select_audit_events_newest" : "select_audit_events_oldest",
                params, [&](const Result& row) { on_event(SealedEventFromRow(row, 0)); });
}

std::vector<std::string> AuditLogRepository::ClientLineage(const std::string& client_id,
                                                           std::vector<std::string>& order_ids) {
  order_ids.clear();
  if (!IsUuid(client_id)) return {};
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_client_lineage", {client_id});
  std::vector<std::string> clients;
  bool found = false;
  for (int i = 0; i < r.rows(); ++i) {
    clients.push_back(r.Str(i, 0));
    if (clients.back() == client_id) found = true;
  }
  if (!found) return {};
  Result orders = lease->Exec("select_production_orders_of_clients", {TextArrayLiteral(clients)});
  for (int i = 0; i < orders.rows(); ++i) order_ids.push_back(orders.Str(i, 0));
  return clients;
}

std::pair<int64_t, int64_t> AuditLogRepository::SeqRangeForTimes(std::optional<int64_t> from_us,
                                                                 std::optional<int64_t> to_us) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_audit_seq_bounds", {OptInt(from_us), OptInt(to_us)});
  return {r.Int(0, 0), r.Int(0, 1)};
}

domain::ChainReport AuditLogRepository::Verify(int64_t from_seq, int64_t to_seq,
                                               const crypto::Signer* signer) {
  Lease lease = pool_.Acquire();
  // One snapshot for the whole walk, so appends meanwhile cannot look like tampering.
  Tx tx(*lease);
  lease->ExecSimple("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  domain::ChainReport report = VerifyAuditChain(*lease, from_seq, to_seq, signer);
  tx.Commit();
  return report;
}

std::optional<domain::Checkpoint> AuditLogRepository::WriteCheckpoint(
    domain::CheckpointKind kind, const crypto::Signer& signer, const std::string& day,
    const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  if (kind == domain::CheckpointKind::kDaily &&
      conn.Exec("select_audit_checkpoint_for_day", {day}).rows() > 0) {
    return std::nullopt;
  }
  conn.Exec("lock_audit_chain", {std::to_string(kAuditChainLock)});
  Result head = conn.Exec("select_audit_head");
  if (head.rows() == 0) {
    throw AppError(ErrorCode::kConflict, "the audit trail has no events to checkpoint yet", "", {},
                   "audit_chain_empty");
  }
  domain::Checkpoint c;
  c.seq = head.Int(0, 0);
  c.head_hash = head.Str(0, 1);
  c.event_count = c.seq;
  c.kind = std::string(domain::ToString(kind));
  c.day = kind == domain::CheckpointKind::kDaily ? day : "";
  // Whole microseconds, as PostgreSQL keeps them, so the payload re-reads identically.
  c.created_at_us = NowMicros();
  c.created_at = Rfc(c.created_at_us);
  c.created_by = audit.actor.name;
  c.algorithm = signer.algorithm();
  c.key_id = signer.key_id();
  c.payload =
      domain::CheckpointPayload(c.seq, c.head_hash, c.event_count, c.created_at, c.key_id, c.kind);
  c.signature = crypto::Base64UrlEncode(signer.Sign(c.payload));
  Result id = conn.Exec("insert_audit_checkpoint",
                        {std::to_string(c.seq), c.head_hash, std::to_string(c.event_count), c.kind,
                         NullIfEmpty(c.day), std::to_string(c.created_at_us), c.created_by,
                         c.algorithm, c.key_id, c.payload, c.signature});
  if (id.rows() == 0) return std::nullopt;  // another instance wrote this day's checkpoint first
  c.id = id.Int(0, 0);
  domain::AuditEvent event = audit;
  event.target_id = std::to_string(c.id);
  Poco::JSON::Object detail;
  detail.set("kind", c.kind);
  detail.set("seq", c.seq);
  detail.set("head_hash", c.head_hash);
  detail.set("key_id", c.key_id);
  event.detail_json = Json(detail);
  unit.Record(event);
  unit.Commit();
  return c;
}

std::vector<domain::Checkpoint> AuditLogRepository::ListCheckpoints(
    std::optional<int64_t> before_id, int limit) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_audit_checkpoints", {OptInt(before_id), std::to_string(limit)});
  std::vector<domain::Checkpoint> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(CheckpointFromRow(r, i));
  return out;
}

int64_t AuditLogRepository::Prune(int64_t older_than_us, const crypto::Signer& signer,
                                  const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  conn.Exec("lock_audit_chain", {std::to_string(kAuditChainLock)});
  Result candidate = conn.Exec("select_audit_prune_candidate", {std::to_string(older_than_us)});
  if (candidate.rows() == 0) return 0;
  domain::Checkpoint c;
  c.seq = candidate.Int(0, 0);
  c.head_hash = candidate.Str(0, 1);
  c.event_count = c.seq;
  c.kind = "prune";
  c.created_at_us = NowMicros();
  c.created_at = Rfc(c.created_at_us);
  c.created_by = audit.actor.name;
  c.algorithm = signer.algorithm();
  c.key_id = signer.key_id();
  c.payload =
      domain::CheckpointPayload(c.seq, c.head_hash, c.event_count, c.created_at, c.key_id, c.kind);
  c.signature = crypto::Base64UrlEncode(signer.Sign(c.payload));
  Result id = conn.Exec("insert_audit_checkpoint",
                        {std::to_string(c.seq), c.head_hash, std::to_string(c.event_count), c.kind,
                         std::nullopt, std::to_string(c.created_at_us), c.created_by, c.algorithm,
                         c.key_id, c.payload, c.signature});
  Result removed = conn.Exec("prune_audit_events", {std::to_string(c.seq)});
  const int64_t n = removed.Int(0, 0);
  domain::AuditEvent event = audit;
  event.target_id = id.Str(0, 0);
  Poco::JSON::Object detail;
  detail.set("through_seq", c.seq);
  detail.set("removed", n);
  detail.set("older_than", Rfc(older_than_us));
  event.detail_json = Json(detail);
  unit.Record(event);
  unit.Commit();
  return n;
}

domain::OnboardingReport ReportRepository::Onboarding(const domain::ReportPeriod& p) {
  const auto org = NullIfEmpty(p.organisation);
  const std::string from = Rfc(p.from_us), to = Rfc(p.to_us);
  domain::OnboardingReport rep;
  rep.as_of_us = std::min(p.to_us, NowMicros());
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  lease->ExecSimple("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  Result cases = lease->Exec("report_cases_by_state", {org, from, to});
  for (int i = 0; i < cases.rows(); ++i)
    rep.cases_by_state.emplace_back(cases.Str(i, 0), cases.Int(i, 1));
  Result counts = lease->Exec("report_order_counts", {org, from, to});
  rep.orders_submitted = counts.Int(0, 0);
  rep.orders_approved = counts.Int(0, 1);
  rep.orders_rejected = counts.Int(0, 2);
  Result times = lease->Exec("report_time_to_production", {org, from, to});
  rep.approvals_measured = times.Int(0, 0);
  if (!times.IsNull(0, 1)) rep.median_time_to_production_s = std::stod(times.Str(0, 1));
  if (!times.IsNull(0, 2)) rep.p90_time_to_production_s = std::stod(times.Str(0, 2));
  Result waiting = lease->Exec("report_orders_waiting", {org, Rfc(rep.as_of_us)});
  for (int i = 0; i < waiting.rows(); ++i) {
    rep.orders_waiting.push_back(
        {waiting.Str(i, 0), waiting.Str(i, 1), waiting.Str(i, 2), waiting.Int(i, 3)});
  }
  tx.Commit();
  return rep;
}

domain::AccessReport ReportRepository::Access(const domain::ReportPeriod& p) {
  const auto org = NullIfEmpty(p.organisation);
  domain::AccessReport rep;
  Lease lease = pool_.Acquire();
  Result actions = lease->Exec("report_actions_per_actor", {org, Rfc(p.from_us), Rfc(p.to_us)});
  for (int i = 0; i < actions.rows(); ++i) {
    rep.actions.push_back(
        {actions.Str(i, 0), actions.Str(i, 1), actions.Int(i, 2), actions.Int(i, 3)});
  }
  rep.refusals_included = p.organisation.empty();
  if (rep.refusals_included) {
    // Days are counted whole: [day of from, day of to), the end day included when `to`
    // is not at midnight.
    constexpr int64_t kDayUs = 86400LL * 1000000;
    const int64_t first_day = p.from_us - ((p.from_us % kDayUs) + kDayUs) % kDayUs;
    int64_t end_day = p.to_us - ((p.to_us % kDayUs) + kDayUs) % kDayUs;
    if (end_day < p.to_us) end_day += kDayUs;
    Result refusals =
        lease->Exec("report_refusals", {Rfc(first_day).substr(0, 10), Rfc(end_day).substr(0, 10)});
    for (int i = 0; i < refusals.rows(); ++i) {
      rep.refusals.push_back({refusals.Str(i, 0), refusals.Str(i, 1), refusals.Str(i, 2),
                              static_cast<int>(refusals.Int(i, 3)), refusals.Int(i, 4)});
    }
  }
  return rep;
}

domain::CredentialsReport ReportRepository::Credentials(const domain::ReportPeriod& p,
                                                        int within_days) {
  const auto org = NullIfEmpty(p.organisation);
  domain::CredentialsReport rep;
  rep.expiring_within_days = within_days;
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  lease->ExecSimple("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  Result counts = lease->Exec("report_secret_counts", {org, Rfc(p.from_us), Rfc(p.to_us)});
  rep.issued = counts.Int(0, 0);
  rep.rotated = counts.Int(0, 1);
  rep.revoked = counts.Int(0, 2);
  Result expiring = lease->Exec("report_secrets_expiring", {org, std::to_string(within_days)});
  for (int i = 0; i < expiring.rows(); ++i) {
    rep.expiring.push_back({expiring.Str(i, 0), expiring.Str(i, 1), expiring.Str(i, 2),
                            expiring.Str(i, 3), expiring.Str(i, 4), expiring.Int(i, 5),
                            expiring.Bool(i, 6)});
  }
  Result certs = lease->Exec("report_certificates_expiring", {org, std::to_string(within_days)});
  for (int i = 0; i < certs.rows(); ++i) {
    rep.certificates_expiring.push_back({certs.Str(i, 0), certs.Str(i, 1), certs.Str(i, 2),
                                         certs.Str(i, 3), certs.Str(i, 4), certs.Str(i, 5),
                                         certs.Str(i, 6), certs.Str(i, 7), certs.Str(i, 8),
                                         certs.Str(i, 9), certs.Str(i, 10), certs.Int(i, 11)});
  }
  Result in_use = lease->Exec("report_rotated_secrets_in_use", {org});
  for (int i = 0; i < in_use.rows(); ++i) {
    rep.rotated_in_use.push_back({in_use.Str(i, 0), in_use.Str(i, 1), in_use.Str(i, 2),
                                  in_use.Str(i, 3), in_use.Str(i, 4), in_use.Str(i, 5)});
  }
  tx.Commit();
  return rep;
}

domain::DeliveriesReport ReportRepository::Deliveries(const domain::ReportPeriod& p) {
  const auto org = NullIfEmpty(p.organisation);
  const std::string from = Rfc(p.from_us), to = Rfc(p.to_us);
  domain::DeliveriesReport rep;
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  lease->ExecSimple("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  Result rates = lease->Exec("report_delivery_rates", {org, from, to});
  rep.sms_succeeded = rates.Int(0, 0);
  rep.sms_failed = rates.Int(0, 1);
  rep.sms_pending = rates.Int(0, 2);
  rep.email_sent = rates.Int(0, 3);
  rep.email_failed = rates.Int(0, 4);
  rep.email_pending = rates.Int(0, 5);
  Result failures = lease->Exec("report_delivery_failures", {org, from, to});
  for (int i = 0; i < failures.rows(); ++i) {
    rep.failures.push_back({failures.Str(i, 0), failures.Str(i, 1), failures.Int(i, 2)});
  }
  Result unfetched = lease->Exec("report_packages_never_fetched", {org, from, to});
  for (int i = 0; i < unfetched.rows(); ++i) {
    rep.never_fetched.push_back({unfetched.Str(i, 0), unfetched.Str(i, 1), unfetched.Str(i, 2),
                                 unfetched.Str(i, 3), unfetched.Str(i, 4), unfetched.Str(i, 5)});
  }
  Result seconds = lease->Exec("report_second_downloads", {org, from, to});
  for (int i = 0; i < seconds.rows(); ++i) {
    rep.second_downloads.push_back({seconds.Int(i, 0), seconds.Str(i, 1), seconds.Str(i, 2),
                                    seconds.Str(i, 3), seconds.Str(i, 4)});
  }
  tx.Commit();
  return rep;
}

void ReportRepository::AddRefusals(const std::vector<domain::RefusalCount>& counts) {
  if (counts.empty()) return;
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  for (const auto& c : counts) {
    lease->Exec("upsert_audit_refusal",
                {c.day, c.token_key, std::to_string(c.status), c.token_name, c.role,
                 std::to_string(c.count), std::to_string(c.last_at_us)});
  }
  tx.Commit();
}

}  // namespace onboard::db
