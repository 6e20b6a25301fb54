#include "courier_repository.hpp"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "json_text.hpp"
#include "repository.hpp"
#include "values.hpp"

namespace onboard::db {

namespace {

// One statement that must touch exactly the claimed row, then the delivery and the audit
// event, in one transaction. False (rolled back) when the row is no longer ours.
bool Finish(Pool& pool, const char* outbox_statement, const Params& outbox_params,
            const char* delivery_statement, const Params& delivery_params,
            const domain::AuditEvent* audit) {
  PgUnitOfWork unit(pool);
  Connection& conn = unit.Tx();
  if (conn.Exec(outbox_statement, outbox_params).affected() != 1) return false;
  if (delivery_statement != nullptr) conn.Exec(delivery_statement, delivery_params);
  if (audit != nullptr) unit.Record(*audit);
  unit.Commit();
  return true;
}

}  // namespace

std::vector<domain::OutboxItem> CourierRepository::Claim(const std::string& worker, int limit,
                                                         std::chrono::milliseconds lease_ms) {
  Lease lease = pool_.Acquire();
  Result r =
      lease->Exec("claim_outbox_rows", {worker, std::to_string(limit), MillisText(lease_ms)});
  std::vector<domain::OutboxItem> out = RowsOf(r, [](const Result& rows, int i) {
    domain::OutboxItem item;
    ReadColumns(rows, i, 0, item.id, item.delivery_id);
    if (!domain::ParseOutboxKind(rows.Get(i, 2), item.kind)) {
      throw AppError(ErrorCode::kInternal, "internal error",
                     "unknown outbox kind " + rows.Str(i, 2));
    }
    ReadColumns(rows, i, 3, item.recipient, item.payload_kek_id);
    if (!rows.IsNull(i, 5)) item.sealed_payload = FromHex(rows.Get(i, 5));
    ReadColumns(rows, i, 6, item.attempts, item.deadline_at, item.attempt_started_at,
                item.provider_ref, item.organisation, item.delivery_sms_sid);
    return item;
  });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

bool CourierRepository::BeginAttempt(const domain::OutboxItem& item, const std::string& worker,
                                     std::chrono::milliseconds lease_ms) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec("begin_outbox_attempt", {std::to_string(item.id), worker, MillisText(lease_ms)})
             .affected() == 1;
}

bool CourierRepository::CancelRevoked(const domain::OutboxItem& item, const std::string& worker,
                                      const domain::AuditEvent& audit) {
  return Finish(pool_, "cancel_revoked_outbox_row", {std::to_string(item.id), worker}, nullptr, {},
                &audit);
}

bool CourierRepository::RecordSent(const domain::OutboxItem& item, const std::string& worker,
                                   const std::string& provider_ref,
                                   const domain::AuditEvent& audit) {
  const Params outbox{std::to_string(item.id), worker, NullIfEmpty(provider_ref)};
  switch (item.kind) {
    case domain::OutboxKind::kSms:
      return Finish(pool_, "complete_outbox_row", outbox, "update_delivery_sms_sent",
                    {item.delivery_id, provider_ref}, &audit);
    case domain::OutboxKind::kEmail:
      return Finish(pool_, "complete_outbox_row", outbox, "update_delivery_email_sent",
                    {item.delivery_id}, &audit);
    case domain::OutboxKind::kSmsRedact:
      return Finish(pool_, "complete_outbox_row", outbox, "update_delivery_sms_redacted",
                    {item.delivery_id}, &audit);
  }
  return false;
}

bool CourierRepository::RecordFailure(const domain::OutboxItem& item, const std::string& worker,
                                      const std::string& code, const std::string& message,
                                      const domain::AuditEvent& audit) {
  const Params outbox{std::to_string(item.id), worker, code, message};
  switch (item.kind) {
    case domain::OutboxKind::kSms:
      return Finish(pool_, "fail_outbox_row", outbox, "update_delivery_sms_failed",
                    {item.delivery_id, code, message}, &audit);
    case domain::OutboxKind::kEmail:
      return Finish(pool_, "fail_outbox_row", outbox, "update_delivery_email_failed",
                    {item.delivery_id, code + ": " + message}, &audit);
    case domain::OutboxKind::kSmsRedact:
      // The SMS itself was delivered; only the clean-up failed (kept on the outbox row).
      return Finish(pool_, "fail_outbox_row", outbox, nullptr, {}, &audit);
  }
  return false;
}

bool CourierRepository::RecordRetry(const domain::OutboxItem& item, const std::string& worker,
                                    std::chrono::milliseconds delay, bool outcome_unknown,
                                    const std::string& code, const std::string& message) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec("retry_outbox_row",
                    {std::to_string(item.id), worker, MillisText(delay),
                     outcome_unknown ? "true" : "false", NullIfEmpty(code), NullIfEmpty(message)})
             .affected() == 1;
}

bool CourierRepository::Release(const domain::OutboxItem& item, const std::string& worker) {
  Lease lease = pool_.Acquire();
  return lease->Exec("release_outbox_row", {std::to_string(item.id), worker}).affected() == 1;
}

domain::CallbackEffect SmsCallbackRepository::Apply(const domain::SmsStatusReport& report,
                                                    domain::AuditEvent audit,
                                                    std::chrono::minutes redact_deadline) {
  PgUnitOfWork unit(pool_);
  std::string delivery_id = report.delivery_id;
  if (delivery_id.empty()) {
    Result found = unit.Conn().Exec("select_delivery_id_by_sms_sid", {report.message_sid});
    if (found.rows() == 0) return domain::CallbackEffect::kUnknownMessage;
    delivery_id = found.Str(0, 0);
  }
  Connection& conn = unit.Tx();
  Result r = conn.Exec("select_delivery_sms_for_update", {delivery_id});
  if (r.rows() == 0) return domain::CallbackEffect::kUnknownMessage;
  const std::optional<std::string> known_sid = r.Opt(0, 3);
  // A report about another message than the one this delivery sent (say, of a superseded
  // attempt) must not move this delivery.
  if (known_sid && *known_sid != report.message_sid) return domain::CallbackEffect::kUnknownMessage;
  domain::SmsState current = domain::SmsState::kQueued;
  domain::ParseSmsState(r.Get(0, 2), current);
  if (!domain::SmsStateAdvances(current, report.state)) return domain::CallbackEffect::kUnchanged;

  conn.Exec("update_delivery_sms_status", {delivery_id, std::string(domain::ToString(report.state)),
                                           report.message_sid, report.error_code});
  Poco::JSON::Object detail;
  detail.set("sid", report.message_sid);
  detail.set("from_state", std::string(domain::ToString(current)));
  detail.set("state", std::string(domain::ToString(report.state)));
  detail.set("provider_status", report.provider_status);
  if (!report.error_code.empty()) detail.set("error_code", report.error_code);
  if (report.state == domain::SmsState::kDelivered) {
    Result redact = conn.Exec(
        "insert_outbox_sms_redact",
        {delivery_id, r.Str(0, 4), report.message_sid, std::to_string(redact_deadline.count())});
    detail.set("redact_outbox_id", redact.Str(0, 0));
  }
  audit.detail_json = json::Text(detail);
  audit.target_type = "delivery";
  audit.target_id = delivery_id;
  audit.organisation = r.Opt(0, 1).value_or("");
  unit.Record(audit);
  unit.Commit();
  return domain::CallbackEffect::kAdvanced;
}

}  // namespace onboard::db
